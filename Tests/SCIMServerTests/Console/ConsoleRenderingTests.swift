import Foundation
@testable import SCIMServer
import SCIMService
import Testing

/// The console's HTML: every value is text, whatever it holds; sessions and sign-in
/// attempts end as they should.
@Suite("Console: rendering and sessions")
struct ConsoleRenderingTests {
    static let payload = "<script>alert('x')</script>\"&"

    @Test func interpolatedValuesAreEscapedAndOnlyHTMLIsNot() {
        let html: HTML = "<p title=\"\(ConsoleRenderingTests.payload)\">\(ConsoleRenderingTests.payload)</p>\(HTML(raw: "<br>"))"
        #expect(html.text == "<p title=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;</p><br>")
        #expect(HTML.escape("a\u{202E}b\u{1B}[31m") == "a\u{FFFD}b\u{FFFD}[31m", "bidi and terminal controls are not passed through")
        #expect(HTML.urlComponent("a b/<c>") == "a%20b%2F%3Cc%3E")
    }

    @Test func changesInSCIMTermsShowEveryValueAsText() {
        let change = ChangeView(
            resourceType: "User", id: "\"><x", name: ConsoleRenderingTests.payload, kind: .modified,
            attributes: [(path: "title<", before: "\"<b>\"", after: "<i>")], membersAdded: ["<u>"], membersRemoved: [])
        let text = ChangeList.render(ChangeSet(changes: [change])).text
        #expect(!text.contains("<script") && !text.contains("<b>") && !text.contains("<i>") && !text.contains("<u>") && !text.contains("\"><x"))
        #expect(text.contains("href=\"/admin/users/%22%3E%3Cx\""))
        #expect(text.contains("<code>title&lt;</code>"))
        #expect(ChangeList.render(ChangeSet(changes: [])).text.contains("No users or groups changed"))
    }

    @Test func everyPageFrameEscapesItsTitleAndCarriesTheCSRFToken() {
        let page = ConsoleLayout.page(ConsoleRenderingTests.payload, admin: "<ada>", csrf: "abc123", current: "guard", "")
        #expect(!page.text.contains("<script") && !page.text.contains("<ada>"))
        #expect(page.text.contains("name=\"csrf\" value=\"abc123\""))
        #expect(page.text.contains("<a href=\"/admin/guard\" aria-current=\"page\">Guard</a>"))
        #expect(!page.text.contains("http://") && !page.text.contains("https://"), "nothing is fetched from elsewhere")
    }

    @Test func theRollbackPreviewNamesEveryChangeAndAConflictOffersNoButton() {
        let preview = ActivityPages.undoPreview(
            RollbackPreview(subject: "Roll back sync-1", lines: ["revert user <a>", "revert user b"], conflict: nil),
            command: "scimgit rollback --sync sync-1", action: "/admin/syncs/sync-1/rollback", back: "/admin/syncs/sync-1", hidden: [("to", "\"><x")], csrf: "t").text
        #expect(preview.contains("revert user &lt;a&gt;") && preview.contains("Apply these 2 changes") && preview.contains("value=\"t\""))
        #expect(preview.contains("scimgit rollback --sync sync-1 --dry-run") && preview.contains("value=\"&quot;&gt;&lt;x\""))
        let conflict = ActivityPages.undoPreview(
            RollbackPreview(subject: "x", lines: [], conflict: "user <a> changed since"), command: "c", action: "/a", back: "/b", csrf: "t").text
        #expect(conflict.contains("user &lt;a&gt; changed since") && !conflict.contains("<button"))
    }

    @Test func sessionsEndAfterTheirTimeAndOnSignOut() {
        let sessions = ConsoleSessions()
        let (id, session) = sessions.start(admin: "ada")
        #expect(id.count == 64 && session.csrf.count == 64 && id != session.csrf)
        #expect(sessions.session(id)?.admin == "ada")
        #expect(sessions.session(id, now: .now + ConsoleSessions.idleLimit + .seconds(1)) == nil, "an hour unused ends it")
        let (second, _) = sessions.start(admin: "ada")
        sessions.end(second)
        #expect(sessions.session(second) == nil)
        let (third, _) = sessions.start(admin: "ada")
        sessions.expireAll()
        #expect(sessions.session(third) == nil)
        #expect(sessions.session(nil) == nil && sessions.session("") == nil && sessions.session("guess") == nil)
    }

    @Test func wrongTokensAreLimitedPerAddress() {
        let throttle = SignInThrottle()
        for _ in 0..<SignInThrottle.allowed { #expect(throttle.retryAfter("10.0.0.1") == nil); throttle.failed("10.0.0.1") }
        #expect(throttle.retryAfter("10.0.0.1").map { $0 >= 1 && $0 <= 61 } == true)
        #expect(throttle.retryAfter("10.0.0.2") == nil, "another address is not held up")
        #expect(throttle.retryAfter("10.0.0.1", now: .now + .seconds(61)) == nil, "a minute later it may try again")
    }

    @Test func sinceTakesDurationsDatesAndTimes() throws {
        #expect(try ConsoleRoutes.since("").1 == "in the last 7 days")
        let (day, _) = try ConsoleRoutes.since("24h")
        #expect(abs(day.timeIntervalSinceNow + 86_400) < 5)
        #expect(try ConsoleRoutes.since("2026-11-29").0 == Date(timeIntervalSince1970: 1_795_910_400))
        #expect(throws: AdminError.self) { _ = try ConsoleRoutes.since("<script>") }
    }
}
