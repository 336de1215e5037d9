import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SCIM
import Testing
import TestSupport

/// The admin console over HTTP as a browser uses it (cookies, forms, redirects), and as an
/// attacker tries it: stored script in every field, forms without the CSRF token, an
/// identity provider's token at sign-in, guessing tokens.
@Suite("End to end: admin console", .serialized)
struct ConsoleTests {
    /// A browser without JavaScript: keeps cookies, does not follow redirects.
    final class Browser: @unchecked Sendable {
        let origin: String
        var cookies: [String: String] = [:]
        static let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

        init(_ server: ServerProcess) {
            let base = server.baseURL
            origin = String(base[..<base.range(of: "/scim/v2")!.lowerBound])
        }

        /// The `csrf` field of the form posting to `action`.
        func csrf(in page: Page) -> String? { page.csrf }

        struct Page {
            var status: Int
            var headers: HTTPHeaders
            var html: String
            /// The value of the first hidden `csrf` field.
            var csrf: String? {
                guard let range = html.range(of: "name=\"csrf\" value=\"") else { return nil }
                return String(html[range.upperBound...].prefix { $0 != "\"" })
            }
        }

        func get(_ path: String) async throws -> Page { try await send(.GET, path, form: nil) }

        func post(_ path: String, _ form: [String: String]) async throws -> Page { try await send(.POST, path, form: form) }

        private func send(_ method: HTTPMethod, _ path: String, form: [String: String]?) async throws -> Page {
            var request = HTTPClientRequest(url: origin + path)
            request.method = method
            if !cookies.isEmpty { request.headers.add(name: "Cookie", value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
            if let form {
                let body = form.map { "\(Browser.encode($0.key))=\(Browser.encode($0.value))" }.joined(separator: "&")
                request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                request.body = .bytes(ByteBuffer(string: body))
            }
            let response = try await Browser.http.execute(request, timeout: .seconds(30))
            for header in response.headers[canonicalForm: "Set-Cookie"] {
                let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if header.contains("Max-Age=0") { cookies[String(pair[0])] = nil } else { cookies[String(pair[0])] = String(pair[1]) }
            }
            let body = try await response.body.collect(upTo: 16 << 20)
            return Page(status: Int(response.status.code), headers: response.headers, html: String(buffer: body))
        }

        static func encode(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
        }

        /// Signs in with `token`; the page it lands on.
        func signIn(_ token: String, tenant: String? = nil) async throws -> Page {
            let form = try await get("/admin/sign-in")
            var fields = ["csrf": form.csrf ?? "", "token": token]
            if let tenant { fields["tenant"] = tenant }
            return try await post("/admin/sign-in", fields)
        }
    }

    private func adminToken(_ server: ServerProcess, name: String = "ada") throws -> String {
        let added = try scimgit(["token", "add", name, "--admin", "--repo", server.store])
        #expect(added.status == 0, "\(added.errors)")
        return String(added.output.split(separator: "\n").last!)
    }

    @Test func anAdminSignsInFollowsASyncToItsDiffAndRollsItBack() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        var ids: [String] = []
        for name in ["ada", "grace"] {
            ids.append(try #require(try await okta.post("/Users", ["userName": .string("\(name)@example.com"), "active": true]).json?["id"]?.stringValue))
        }
        for id in ids { #expect(try await okta.patch("/Users/\(id)", [["op": "replace", "value": ["active": false]]]).status == 200) }
        let browser = Browser(server)
        #expect(try await browser.get("/admin/activity").headers.first(name: "Location") == "/admin/sign-in", "signed out: sent to sign in")
        let landed = try await browser.signIn(try adminToken(server))
        #expect(landed.status == 303 && landed.headers.first(name: "Location") == "/admin/activity")
        let cookie = try #require(landed.headers[canonicalForm: "Set-Cookie"].first { $0.hasPrefix("scimgit_session=") })
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Max-Age=") && !cookie.contains("Secure"), "\(cookie)")

        let activity = try await browser.get("/admin/activity")
        #expect(activity.status == 200 && activity.headers.first(name: "Content-Type") == "text/html; charset=utf-8")
        #expect(activity.headers.first(name: "Content-Security-Policy")?.contains("default-src 'none'") == true)
        #expect(activity.html.contains("created 2 users, deactivated 2 users"), "\(activity.html)")
        let syncID = try #require(activity.html.range(of: "/admin/syncs/sync-").map { String(activity.html[$0.upperBound...].prefix { $0 != "\"" }) }).prefixed("sync-")
        let sync = try await browser.get("/admin/syncs/\(syncID)")
        #expect(sync.html.contains("ada@example.com") && sync.html.contains("<code>active</code>"), "\(sync.html)")

        let preview = try await browser.get("/admin/syncs/\(syncID)/rollback")
        #expect(preview.html.contains("Roll back \(syncID) of okta (created 2 users, deactivated 2 users)"), "\(preview.html)")
        let commits = try server.commitCount()
        // Without the session's CSRF token, nothing is done.
        #expect(try await browser.post("/admin/syncs/\(syncID)/rollback", [:]).status == 403)
        #expect(try await browser.post("/admin/syncs/\(syncID)/rollback", ["csrf": "0000"]).status == 403)
        #expect(try server.commitCount() == commits)
        let applied = try await browser.post("/admin/syncs/\(syncID)/rollback", ["csrf": try #require(preview.csrf)])
        #expect(applied.status == 303, "\(applied.html)")
        #expect(try server.commitCount() == commits + 1)
        #expect(try git(["log", "-1", "--format=%an|%s"], in: server.store) == "ada|Roll back \(syncID) of okta (created 2 users, deactivated 2 users)\n", "authored by the admin")
        for id in ids { #expect(try await okta.get("/Users/\(id)").status == 404, "the sync created them: rolled back, they are gone") }
        let result = try await browser.get(try #require(applied.headers.first(name: "Location")))
        #expect(result.status == 200 && result.html.contains("by ada"), "\(result.html)")

        // Snapshots: taken from the console, as the admin.
        let snapshots = try await browser.get("/admin/snapshots")
        #expect(try await browser.post("/admin/snapshots", ["csrf": snapshots.csrf ?? "", "name": "after-cleanup", "message": "checked"]).status == 303)
        #expect(try git(["tag", "-l", "--format=%(taggername)|%(refname:short)"], in: server.store).contains("ada|after-cleanup"))
        #expect(try await browser.get("/admin/compare?from=after-cleanup&to=HEAD").html.contains("No users or groups changed"))

        // Signing out ends the session.
        let signOut = try await browser.post("/admin/sign-out", ["csrf": snapshots.csrf ?? ""])
        #expect(signOut.status == 303)
        #expect(try await browser.get("/admin/activity").headers.first(name: "Location") == "/admin/sign-in")
        #expect(server.statusIsClean())
    }

    @Test func aCommitIsRevertedAndTheStoreRolledBackToASnapshot() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let ada = try #require(try await okta.post("/Users", ["userName": "ada@example.com", "active": true]).json?["id"]?.stringValue)
        #expect(try scimgit(["snapshot", "create", "before", "--repo", server.store]).status == 0)
        #expect(try await okta.patch("/Users/\(ada)", [["op": "replace", "value": ["active": false]]]).status == 200)
        let deactivation = try git(["rev-parse", "HEAD"], in: server.store).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await okta.post("/Users", ["userName": "grace@example.com", "active": true]).status == 201)
        let browser = Browser(server)
        _ = try await browser.signIn(try adminToken(server))

        let preview = try await browser.get("/admin/commits/\(deactivation)/revert")
        #expect(preview.html.contains("scimgit revert \(deactivation.prefix(12)) --dry-run") && preview.html.contains("revert user ada@example.com"), "\(preview.html)")
        #expect(try await browser.post("/admin/commits/\(deactivation)/revert", ["csrf": "nope"]).status == 403)
        #expect(try await browser.post("/admin/commits/\(deactivation)/revert", ["csrf": preview.csrf ?? ""]).status == 303)
        #expect(try await okta.get("/Users/\(ada)").json?["active"] == true)
        #expect(try git(["log", "-1", "--format=%an"], in: server.store) == "ada\n")

        let rollback = try await browser.get("/admin/rollback?to=before")
        #expect(rollback.html.contains("grace@example.com"), "\(rollback.html)")
        #expect(try await browser.get("/admin/rollback?to=--help").html.contains("give a snapshot name"), "an option is never passed on")
        #expect(try await browser.post("/admin/rollback", ["csrf": rollback.csrf ?? "", "to": "before"]).status == 303)
        let users = try await okta.get("/Users").json
        #expect(users?["totalResults"] == 1 && users?["Resources"]?[0]?["userName"] == "ada@example.com", "\(String(describing: users))")
        #expect(server.statusIsClean())
    }

    @Test func eachOrganisationsAdminsSeeTheirOwnAndOperatorsChoose() async throws {
        let folder = TemporaryFolder()
        let root = folder.path + "/tenants"
        var apiTokens: [String: String] = [:]
        for name in ["acme", "globex"] {
            apiTokens[name] = String(try scimgit(["tenant", "add", name, "--root", root]).output.split(separator: "\n").last!)
        }
        let acmeAdmin = String(try scimgit(["token", "add", "ada", "--admin", "--repo", root + "/acme"]).output.split(separator: "\n").last!)
        let added = try scimgit(["token", "add", "ops", "--admin", "--root", root])
        #expect(added.status == 0, "\(added.errors)")
        let operatorToken = String(added.output.split(separator: "\n").last!)
        let server = try ServerProcess(tenantsRoot: root)
        #expect(server.log.contains("Admin console: "))
        let acme = SCIMClient(baseURL: server.baseURL(ofTenant: "acme"), authorization: apiTokens["acme"])
        let id = try #require(try await acme.post("/Users", ["userName": "wile@acme.example", "active": true]).json?["id"]?.stringValue)
        #expect(try await acme.patch("/Users/\(id)", [["op": "replace", "value": ["active": false]]]).status == 200)

        // acme's admin: acme only.
        let wrongTenant = Browser(server)
        #expect(try await wrongTenant.signIn(acmeAdmin, tenant: "globex").status == 401, "acme's token does not open globex")
        let admin = Browser(server)
        #expect(try await admin.signIn(acmeAdmin, tenant: "acme").headers.first(name: "Location") == "/admin/activity")
        #expect(try await admin.get("/admin/activity").html.contains("created 1 user, deactivated 1 user"))
        let own = try await admin.get("/admin/tenants")
        #expect(own.html.contains("acme") && !own.html.contains("globex"), "\(own.html)")
        #expect(try await admin.post("/admin/tenants", ["csrf": own.csrf ?? "", "tenant": "globex"]).status == 403)

        // An operator: every organisation, one at a time.
        let ops = Browser(server)
        #expect(try await ops.signIn(operatorToken).headers.first(name: "Location") == "/admin/tenants")
        #expect(try await ops.get("/admin/activity").status == 409, "nothing chosen yet")
        let list = try await ops.get("/admin/tenants")
        #expect(list.html.contains("acme") && list.html.contains("globex"))
        #expect(try await ops.post("/admin/tenants", ["csrf": list.csrf ?? "", "tenant": "acme"]).status == 303)
        #expect(try await ops.get("/admin/activity").html.contains("deactivated 1 user"))
        #expect(try await ops.post("/admin/tenants", ["csrf": list.csrf ?? "", "tenant": "globex"]).status == 303)
        #expect(try await ops.get("/admin/activity").html.contains("No syncs"))
        #expect(try await ops.post("/admin/tenants", ["csrf": list.csrf ?? "", "tenant": "nope"]).status == 404)
    }

    @Test func storedScriptIsShownAsTextEverywhere() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let payload = "<script>alert(1)</script>"
        let created = try await okta.post("/Users", [
            "userName": .string("\(payload)@example.com"), "displayName": .string(payload), "externalId": .string("\"><img src=x onerror=alert(2)>"),
            "emails": [["value": .string("x\(payload)@example.com")]], "title": .string(payload), "active": true,
        ])
        let id = try #require(created.json?["id"]?.stringValue)
        #expect(try await okta.post("/Groups", ["displayName": .string(payload), "members": [["value": .string(id)]]]).status == 201)
        let browser = Browser(server)
        _ = try await browser.signIn(try adminToken(server))
        let activity = try await browser.get("/admin/activity")
        let syncID = try #require(activity.html.range(of: "/admin/syncs/").map { String(activity.html[$0.upperBound...].prefix { $0 != "\"" }) })
        for path in ["/admin/activity", "/admin/syncs/\(syncID)", "/admin/users/\(id)", "/admin/search?q=\(Browser.encode(payload + "@example.com"))",
                     "/admin/search?q=\(Browser.encode("<b>reflected</b>"))", "/admin/compare?from=\(Browser.encode("<i>x</i>"))&to=HEAD",
                     "/admin/activity?client=\(Browser.encode("<u>c</u>"))"] {
            let page = try await browser.get(path)
            #expect(!page.html.contains("HTML(text:") && !page.html.contains("&lt;table") && !page.html.contains("&lt;tr"), "\(path): markup shown as text")
            #expect(!page.html.contains("<script>alert") && !page.html.contains("<img src=x") && !page.html.contains("<b>reflected") && !page.html.contains("<i>x") && !page.html.contains("<u>c"), "\(path): \(page.html)")
        }
        #expect(try await browser.get("/admin/users/\(id)").html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test func onlyAdminTokensSignInAndGuessingIsSlowedDown() async throws {
        let server = try ServerProcess()
        let browser = Browser(server)
        let idp = try await browser.signIn(ServerProcess.oktaToken)
        #expect(idp.status == 401 && idp.html.contains("identity providers"), "an IdP's token cannot sign in")
        #expect(browser.cookies["scimgit_session"] == nil)
        // Nor can an admin token call the SCIM API.
        let admin = try adminToken(server)
        #expect(try await SCIMClient(baseURL: server.baseURL, authorization: "Bearer " + admin).get("/Users").status == 401)
        // A sign-in form posted without its own CSRF cookie is refused.
        let forged = Browser(server)
        #expect(try await forged.post("/admin/sign-in", ["csrf": "abc", "token": admin]).status == 403)
        // Five wrong tokens a minute, then 429 with Retry-After, even for the right one.
        for _ in 0..<4 { #expect(try await browser.signIn("wrong-\(UUID())").status == 401) }
        let limited = try await browser.signIn(admin)
        #expect(limited.status == 429 && limited.headers.first(name: "Retry-After").flatMap(Int.init) != nil, "\(limited.status)")
        #expect(!server.log.contains(admin), "no token in the log")
    }

    @Test func theGuardIsShownAndReleasedFromTheConsole() async throws {
        let server = try ServerProcess(["--guard", "2,1h"])
        let okta = SCIMClient.okta(server)
        var ids: [String] = []
        for index in 0..<3 { ids.append(try #require(try await okta.post("/Users", ["userName": .string("u\(index)@example.com"), "active": true]).json?["id"]?.stringValue)) }
        for id in ids { _ = try await okta.patch("/Users/\(id)", [["op": "replace", "value": ["active": false]]]) }
        let browser = Browser(server)
        _ = try await browser.signIn(try adminToken(server))
        let page = try await browser.get("/admin/guard")
        #expect(page.html.contains("holding") && page.html.contains("Tripped by okta"), "\(page.html)")
        #expect(try await browser.post("/admin/guard/release", ["csrf": page.csrf ?? "", "for": "30m"]).status == 303)
        #expect(try git(["log", "-1", "--format=%an|%s"], in: server.store) == "ada|Release the deprovisioning guard for 30m\n")
        #expect(try await okta.patch("/Users/\(ids[2])", [["op": "replace", "value": ["active": false]]]).status == 200)
    }
}

private extension String {
    func prefixed(_ prefix: String) -> String { hasPrefix(prefix) ? self : prefix + self }
}
