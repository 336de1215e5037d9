import Directory
import Foundation
import GitStore
import SCIM
import SCIMService
import Testing

@Suite("Directory: search, paging, HEAD moved by git")
struct DirectorySearchTests {
    /// Okta looks a user up by userName before creating it: a name the server refuses as a
    /// duplicate must be one its filters find, whichever Unicode spelling the IdP sends.
    @Test func theNfcAndNfdSpellingsOfAUserNameAreOneName() async throws {
        let fixture = try DirectoryFixture()
        let nfc = "Jos\u{E9}@example.com", nfd = "Jose\u{301}@example.com"
        let created = try await fixture.createUser(nfc)
        #expect(await scimError { try await fixture.createUser(nfd) }?.status == 409)
        for spelling in [nfc, nfd, nfd.uppercased()] {
            #expect(try await fixture.search(.user, ["filter": "userName eq \"\(spelling)\""]).resources.map(\.id) == [created.id], "\(Array(spelling.unicodeScalars))")
        }
    }

    @Test func oktaAndEntraFiltersFindTheUser() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com", extra: ["externalId": "00uADA"])
        try await fixture.createUser("bob@example.com", extra: ["externalId": "00uBOB"])
        for filter in [
            "userName eq \"ada@example.com\"", "userName eq \"ADA@EXAMPLE.COM\"", "externalId eq \"00uADA\"",
            "emails[type eq \"work\"].value eq \"ada@example.com\"", "emails.value eq \"ada@example.com\"",
            "userName eq \"ada@example.com\" and externalId eq \"00uADA\"", "id eq \"\(ada.id)\"",
            "name.givenName eq \"Test\" and userName sw \"ada\"",
        ] {
            let result = try await fixture.search(.user, ["filter": filter, "startIndex": "1", "count": "100"])
            #expect(result.resources.map(\.id) == [ada.id], "filter \(filter)")
            #expect(result.totalResults == 1)
        }
        #expect(try await fixture.search(.user, ["filter": "userName eq \"nobody@example.com\""]).totalResults == 0)
        #expect(try await fixture.search(.user, ["filter": "externalId eq \"00uada\""]).totalResults == 0) // caseExact
    }

    @Test func scansOfEveryFileRunBesideIndexedLookups() async throws {
        let fixture = try DirectoryFixture()
        var created: [String] = []
        for number in 0..<12 { created.append(try await fixture.createUser("u\(number)@x.com", extra: ["title": number % 3 == 0 ? "Engineer" : "Sales"]).id) }
        // Unindexed filters and sorts read every file (off the request threads); indexed
        // lookups do not. Concurrently, each still gets its own right answer.
        let ids = created
        try await withThrowingTaskGroup(of: Void.self) { group in
            for round in 0..<8 {
                group.addTask {
                    let scan = try await fixture.search(.user, ["filter": "title co \"ngin\""])
                    #expect(Set(scan.resources.map(\.id)) == Set(stride(from: 0, to: 12, by: 3).map { ids[$0] }))
                    let sorted = try await fixture.search(.user, ["sortBy": "userName", "sortOrder": "descending", "count": "2"])
                    #expect(sorted.resources.map(\.id) == [ids[9], ids[8]])
                    let lookup = try await fixture.search(.user, ["filter": "userName eq \"u\(round)@x.com\""])
                    #expect(lookup.resources.map(\.id) == [ids[round]])
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func pagesComeInAStableCreationOrder() async throws {
        let fixture = try DirectoryFixture()
        var ids: [String] = []
        for number in 0..<7 { ids.append(try await fixture.createUser("u\(number)@x.com").id) }
        var seen: [String] = []
        var start = 1
        while true {
            let page = try await fixture.search(.user, ["startIndex": String(start), "count": "3"])
            #expect(page.totalResults == 7)
            #expect(page.startIndex == start)
            seen += page.resources.map(\.id)
            if page.resources.count < 3 { break }
            start += 3
        }
        #expect(seen == ids)
        #expect(try await fixture.search(.user, ["count": "0"]).resources.isEmpty)
        let sorted = try await fixture.search(.user, ["sortBy": "userName", "sortOrder": "descending", "count": "2"])
        #expect(sorted.resources.compactMap { $0.document["userName"]?.stringValue } == ["u6@x.com", "u5@x.com"])
    }

    @Test func activeAndGroupFilters() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        let bob = try await fixture.createUser("bob@example.com")
        _ = try await fixture.patch(.user, bob.id, [["op": "replace", "value": ["active": false]]])
        #expect(try await fixture.search(.user, ["filter": "active eq false"]).resources.map(\.id) == [bob.id])
        #expect(try await fixture.search(.user, ["filter": "active eq true"]).resources.map(\.id) == [ada.id])
        let eng = try await fixture.createGroup("Engineering", members: [ada.id])
        try await fixture.createGroup("Sales")
        let byName = try await fixture.search(.group, ["filter": "displayName eq \"engineering\"", "excludedAttributes": "members"])
        #expect(byName.resources.map(\.id) == [eng.id])
        #expect(byName.resources.first?.document["members"] == nil)
        #expect(try await fixture.search(.user, ["filter": "groups.value eq \"\(eng.id)\""]).resources.map(\.id) == [ada.id])
        #expect(try await fixture.search(.group, ["filter": "members.value eq \"\(ada.id)\""]).resources.map(\.id) == [eng.id])
        let both = try await fixture.directory.search([.user, .group], try SearchRequest(query: [:], for: nil), context: fixture.okta)
        #expect(both.totalResults == 4)
    }

    @Test func aPlainGitRevertIsSeenByTheNextRequest() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        _ = try await fixture.patch(.user, ada.id, [["op": "replace", "value": ["active": false]]])
        #expect(try await fixture.search(.user, ["filter": "active eq false"]).totalResults == 1)
        try fixture.directory.store.flushIndex()
        try git(["revert", "--no-edit", "HEAD"], in: fixture.root)
        #expect(try await fixture.search(.user, ["filter": "active eq false"]).totalResults == 0)
        #expect(try await fixture.get(.user, ada.id).document["active"] == .bool(true))
        // Writes go on from there.
        _ = try await fixture.patch(.user, ada.id, [["op": "replace", "path": "displayName", "value": "Ada"]])
        #expect(try git(["log", "--format=%s", "-3"], in: fixture.root).hasPrefix("Update user ada@example.com\nRevert \"Deactivate user ada@example.com\"\n"))
    }

    @Test func aHandBrokenFileAnswers500AndTheRestKeepsWorking() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        let bob = try await fixture.createUser("bob@example.com")
        try fixture.directory.store.flushIndex()
        let path = ResourceKind.user.path(of: ada.id)
        try "{ not json".write(toFile: fixture.root + "/" + path, atomically: true, encoding: .utf8)
        try git(["commit", "-am", "hand edit"], in: fixture.root)
        let error = await scimError { _ = try await fixture.get(.user, ada.id) }
        #expect(error?.status == 500)
        #expect(error?.detail.contains(path) == true)
        #expect(try await fixture.get(.user, bob.id).id == bob.id)
        #expect(try await fixture.search(.user, [:]).totalResults == 1)
        // After a restart too.
        try fixture.restart()
        #expect(await scimError { _ = try await fixture.get(.user, ada.id) }?.status == 500)
        #expect(try await fixture.search(.user, ["filter": "userName eq \"bob@example.com\""]).totalResults == 1)
    }
}
