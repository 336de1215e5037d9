import Directory
import Foundation
import GitStore
import SCIM
import SCIMService
import Testing

@Suite("Directory: users")
struct DirectoryUserTests {
    @Test func createWritesOneFileAndOneCommitNamingTheUser() async throws {
        let fixture = try DirectoryFixture()
        let before = try fixture.commitCount()
        let record = try await fixture.createUser("ada@example.com", extra: ["password": "s3cret-Pa55", "externalId": "00u1"])
        #expect(StoreLayout.isValidID(record.id))
        #expect(try fixture.commitCount() == before + 1)
        #expect(try fixture.lastSubject() == "Create user ada@example.com")
        let message = try fixture.lastMessage()
        #expect(message.contains("SCIM-Operation: POST"))
        #expect(message.contains("SCIM-Resource: User/\(record.id)"))
        #expect(message.contains("SCIM-Client: okta"))
        #expect(message.contains("SCIM-Request-Id: req-1"))
        #expect(try git(["log", "-1", "--format=%an|%cn"], in: fixture.root) == "okta|scimgit\n")
        let file = try git(["show", "HEAD:" + ResourceKind.user.path(of: record.id)], in: fixture.root)
        #expect(file.contains("\"userName\": \"ada@example.com\""))
        #expect(!file.contains("s3cret-Pa55"))
        #expect(!file.contains("location"))
        // The answer: meta complete, version = ETag, no password.
        let meta = record.document["meta"]
        #expect(meta?["location"]?.stringValue == "https://idp.example.com/scim/v2/Users/\(record.id)")
        #expect(meta?["resourceType"]?.stringValue == "User")
        #expect(meta?["version"]?.stringValue == record.version)
        #expect(meta?["created"]?.stringValue != nil)
        #expect(record.document["password"] == nil)
        // The version is the file's git blob id.
        let blob = try git(["rev-parse", "HEAD:" + ResourceKind.user.path(of: record.id)], in: fixture.root).trimmingCharacters(in: .newlines)
        #expect(record.version == "W/\"\(blob)\"")
        #expect(try await fixture.get(.user, record.id).document == record.document)
    }

    @Test func duplicateUserNameInAnyCaseIs409AndCommitsNothing() async throws {
        let fixture = try DirectoryFixture()
        try await fixture.createUser("ada@example.com")
        let before = try fixture.commitCount()
        let error = await scimError { try await fixture.createUser("ADA@Example.com") }
        #expect(error?.status == 409)
        #expect(error?.scimType == .uniqueness)
        #expect(try fixture.commitCount() == before)
    }

    @Test func putAndPatchEnforceUniquenessToo() async throws {
        let fixture = try DirectoryFixture()
        try await fixture.createUser("ada@example.com")
        let bob = try await fixture.createUser("bob@example.com")
        let before = try fixture.commitCount()
        let patchError = await scimError {
            _ = try await fixture.patch(.user, bob.id, [["op": "replace", "path": "userName", "value": "Ada@example.com"]])
        }
        #expect(patchError?.status == 409)
        var body = bob.document
        body["userName"] = "ada@EXAMPLE.com"
        let putError = await scimError {
            _ = try await fixture.directory.replace(.user, id: bob.id, document: body, precondition: nil, projection: .default, context: fixture.okta)
        }
        #expect(putError?.status == 409)
        #expect(try fixture.commitCount() == before)
    }

    @Test func deactivateAndReactivateAreNamedAsSuch() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        let deactivated = try await fixture.patch(.user, ada.id, [["op": "replace", "value": ["active": false]]])
        #expect(deactivated.document["active"] == .bool(false))
        #expect(try fixture.lastSubject() == "Deactivate user ada@example.com")
        #expect(try fixture.lastMessage().contains("active: true → false"))
        #expect(deactivated.version != ada.version)
        _ = try await fixture.patch(.user, ada.id, [["op": "Replace", "path": "active", "value": "True"]])
        #expect(try fixture.lastSubject() == "Reactivate user ada@example.com")
        #expect(try await fixture.get(.user, ada.id).id == ada.id)
    }

    @Test func putWithOwnGetBodyAndChangesIsOneCommitNoChangeIsNone() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        let before = try fixture.commitCount()
        // Okta echoes the GET body (id, meta, groups…) with its changes.
        var body = try await fixture.get(.user, ada.id).document
        let same = try await fixture.directory.replace(.user, id: ada.id, document: body, precondition: nil, projection: .default, context: fixture.okta)
        #expect(try fixture.commitCount() == before)
        #expect(same.version == ada.version)
        body["name"] = ["givenName": "Augusta", "familyName": "King"]
        let changed = try await fixture.directory.replace(.user, id: ada.id, document: body, precondition: nil, projection: .default, context: fixture.okta)
        #expect(try fixture.commitCount() == before + 1)
        #expect(try fixture.lastSubject() == "Update user ada@example.com")
        let message = try fixture.lastMessage()
        #expect(message.contains("name.givenName: \"Test\" → \"Augusta\""))
        #expect(message.contains("SCIM-Operation: PUT"))
        #expect(changed.document["name"]?["givenName"] == "Augusta")
        #expect(changed.document["meta"]?["created"] == ada.document["meta"]?["created"])
    }

    @Test func renameIsNamedAsSuch() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        _ = try await fixture.patch(.user, ada.id, [["op": "replace", "path": "userName", "value": "ada.king@example.com"]])
        #expect(try fixture.lastSubject() == "Rename user ada@example.com to ada.king@example.com")
        // The old name is free again, the new one taken.
        try await fixture.createUser("ada@example.com")
        let error = await scimError { try await fixture.createUser("ADA.KING@example.com") }
        #expect(error?.status == 409)
    }

    @Test func staleIfMatchIs412CurrentOneWorks() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        let changed = try await fixture.patch(.user, ada.id, [["op": "replace", "path": "displayName", "value": "Ada"]], precondition: .tags([ada.version]))
        let before = try fixture.commitCount()
        let error = await scimError {
            _ = try await fixture.patch(.user, ada.id, [["op": "replace", "path": "displayName", "value": "Ada K"]], precondition: .tags([ada.version]))
        }
        #expect(error?.status == 412)
        #expect(try fixture.commitCount() == before)
        _ = try await fixture.patch(.user, ada.id, [["op": "replace", "path": "displayName", "value": "Ada K"]], precondition: .tags([changed.version]))
        _ = try await fixture.patch(.user, ada.id, [["op": "replace", "path": "displayName", "value": "Ada L"]], precondition: .any)
        let deleteError = await scimError {
            try await fixture.directory.delete(.user, id: ada.id, precondition: .tags(["W/\"0000\""]), context: fixture.okta)
        }
        #expect(deleteError?.status == 412)
    }

    @Test func unknownIdsAre404() async throws {
        let fixture = try DirectoryFixture()
        for id in ["010101001010101011001010101011", "../../etc/passwd", "3fa85f64-5717-4562-b3fc-2c963f66afa6", ""] {
            #expect(await scimError { _ = try await fixture.get(.user, id) }?.status == 404)
            #expect(await scimError { try await fixture.directory.delete(.user, id: id, precondition: nil, context: fixture.okta) }?.status == 404)
        }
        let group = try await fixture.createGroup("Eng")
        // A group id is not a user id.
        #expect(await scimError { _ = try await fixture.get(.user, group.id) }?.status == 404)
    }

    @Test func failedPatchChangesNothing() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        let before = try fixture.commitCount()
        let error = await scimError {
            _ = try await fixture.patch(.user, ada.id, [
                ["op": "replace", "path": "displayName", "value": "Changed"],
                ["op": "replace", "path": "id", "value": "3fa85f64-5717-4562-b3fc-2c963f66afa6"],
            ])
        }
        #expect(error?.status == 400)
        #expect(try fixture.commitCount() == before)
        #expect(try await fixture.get(.user, ada.id).document["displayName"] == nil)
    }

    @Test func concurrentWritesAreEachOneCommitAndUniquenessHolds() async throws {
        let fixture = try DirectoryFixture(durability: .durable)
        let before = try fixture.commitCount()
        let results = await withTaskGroup(of: Bool.self) { group in
            for number in 0..<16 {
                group.addTask {
                    // Pairs of creates race for the same userName: exactly one of each wins.
                    (try? await fixture.createUser("user\(number / 2)@example.com")) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 8)
        #expect(try fixture.commitCount() == before + 8)
        #expect(try git(["fsck", "--strict"], in: fixture.root).isEmpty)
        let all = try await fixture.search(.user, [:])
        #expect(all.totalResults == 8)
    }

    @Test func indexesSurviveARestart() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com", extra: ["externalId": "00uA"])
        try await fixture.createUser("bob@example.com")
        try fixture.restart()
        #expect(try git(["status", "--porcelain"], in: fixture.root) == "")
        let found = try await fixture.search(.user, ["filter": "userName eq \"ADA@example.com\""])
        #expect(found.resources.map(\.id) == [ada.id])
        #expect(await scimError { try await fixture.createUser("ada@example.com") }?.status == 409)
        #expect(try await fixture.search(.user, ["filter": "externalId eq \"00uA\""]).totalResults == 1)
    }
}
