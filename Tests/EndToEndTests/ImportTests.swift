import Foundation
import SCIM
import Testing
import TestSupport

/// `scimgit import` as a team moving onto scimgit runs it: a file of users and groups
/// loaded while the server runs and serves Okta, then served at once; a bad file refused
/// whole, naming its lines.
@Suite("End to end: import", .serialized)
struct ImportTests {
    private func line(_ resource: JSONValue) -> String { String(decoding: resource.serialized(.compact), as: UTF8.self) }

    @Test func aFileIsImportedWhileTheServerRunsAndServedAtOnce() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let existing = try #require(try await okta.post("/Users", ["userName": "existing@example.com", "active": true]).json?["id"]?.stringValue)
        var lines: [String] = []
        for index in 0..<300 {
            lines.append(line([
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": .string("00u\(index)"),
                "userName": .string("u\(index)@example.com"), "emails": [["value": .string("u\(index)@example.com"), "primary": true]],
                "active": .bool(index % 10 != 0),
            ]))
        }
        lines.append(line([
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "00g1", "displayName": "Engineering",
            "members": [["value": "00u1"], ["value": "00u2"], ["value": .string(existing)]],
        ]))
        let folder = TemporaryFolder()
        let file = folder.path + "/people.ndjson"
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let commits = try server.commitCount()

        let imported = try scimgit(["import", file, "--repo", server.store, "--id-map", folder.path + "/ids.csv"])
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(imported.output.hasPrefix("Imported 300 users and 1 group (3 memberships) as commit "), "\(imported.output)")
        #expect(imported.output.contains("301 ids were not UUIDs and were given new ones"), "\(imported.output)")
        #expect(try server.commitCount() == commits + 1)
        #expect(try server.subjects(1) == ["Import 300 users and 1 group from people.ndjson"])

        let map = try String(contentsOfFile: folder.path + "/ids.csv", encoding: .utf8).split(separator: "\n")
        let ids = Dictionary(uniqueKeysWithValues: map.map { line in
            let parts = line.split(separator: ","); return (String(parts[0]), String(parts[1]))
        })
        #expect(ids.count == 301)
        let u7 = try await okta.get("/Users?filter=\(query("userName eq \"u7@example.com\""))")
        #expect(u7.json?["totalResults"] == 1 && u7.json?["Resources"]?[0]?["id"]?.stringValue == ids["00u7"])
        #expect(try await okta.get("/Users?filter=\(query("active eq false"))").json?["totalResults"] == 30)
        let group = try #require(ids["00g1"])
        let members = try await okta.get("/Groups/\(group)").json?["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue }
        #expect(Set(members ?? []) == [ids["00u1"]!, ids["00u2"]!, existing])
        #expect(try await okta.get("/Users/\(existing)").json?["groups"]?[0]?["value"]?.stringValue == group)
        // The server's uniqueness checks know the imported names.
        #expect(try await okta.post("/Users", ["userName": "U3@example.com", "active": true]).status == 409)
        #expect(try await okta.get("/Users?count=1").json?["totalResults"] == 301)
        // The server brings its working tree to the import's commit.
        let deadline = ContinuousClock.now + .seconds(30)
        while !server.statusIsClean() && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(200)) }
        #expect(server.statusIsClean())
    }

    @Test func aFileWithBadRecordsIsRefusedWholeNamingEachLine() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        #expect(try await okta.post("/Users", ["userName": "taken@example.com", "active": true]).status == 201)
        let folder = TemporaryFolder()
        let file = folder.path + "/bad.ndjson"
        try [
            line(["schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "fine@example.com"]),
            line(["schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "taken@example.com"]),
            line(["schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "displayName": "no userName"]),
        ].joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let commits = try server.commitCount()

        let dry = try scimgit(["import", file, "--dry-run", "--repo", server.store])
        #expect(dry.status != 0)
        let refused = try scimgit(["import", file, "--repo", server.store])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("nothing was imported: 2 of 3 records refused"), "\(refused.errors)")
        #expect(refused.errors.contains("line 2: uniqueness") && refused.errors.contains("line 3: "), "\(refused.errors)")
        #expect(try server.commitCount() == commits)
        #expect(try await okta.get("/Users?filter=\(query("userName eq \"fine@example.com\""))").json?["totalResults"] == 0)

        try "{\"schemas\": [\n".write(toFile: file, atomically: true, encoding: .utf8)
        let broken = try scimgit(["import", file, "--repo", server.store])
        #expect(broken.status != 0 && broken.errors.contains("line 1: invalidSyntax"), "\(broken.errors)")
        let help = try scimgit(["import", "--help"])
        #expect(help.status == 0 && help.output.contains("one JSON object per line"))
    }
}
