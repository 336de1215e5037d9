import Foundation
import SCIM
import Testing
import TestSupport

/// Custom attributes as an Okta or Entra admin sets them up: a schema extension declared
/// with `scimgit schema add` (a commit in the store), listed by `/Schemas`, enforced on
/// every write, usable in filters, sorting and PATCH paths, in each of the shapes the
/// identity providers send, and undone by a plain `git revert` while the server runs.
@Suite("End to end: custom schemas", .serialized)
struct CustomSchemaTests {
    static let okta = "urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User"
    static let entra = "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User"
    static let oktaFile = repositoryRoot().appendingPathComponent("Examples/okta-custom-extension.json").path
    static let entraFile = repositoryRoot().appendingPathComponent("Examples/entra-custom-extension.json").path

    private func addSchema(_ file: String, repo: String, _ extra: [String] = []) throws -> CommandResult {
        try scimgit(["schema", "add", file, "--resource", "User", "--repo", repo] + extra)
    }

    /// Polls `condition` until it holds (the server follows a moved HEAD within a second).
    private func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<100 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    private func schemaIDs(_ client: SCIMClient) async throws -> [String] {
        (try await client.get("/Schemas").json?["Resources"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
    }

    @Test func schemaCommandsCommitAndRefuseBadDocuments() throws {
        let folder = TemporaryFolder()
        let repo = folder.path + "/store"
        #expect(try scimgit(["init", repo]).status == 0)
        let added = try addSchema(CustomSchemaTests.oktaFile, repo: repo)
        #expect(added.status == 0, "\(added.errors)")
        #expect(added.output.contains("Add schema CustomExtension (\(CustomSchemaTests.okta)) to User"), "\(added.output)")
        #expect(added.output.contains("+ employeeCode: string, unique (server)"), "\(added.output)")
        #expect(try git(["log", "-1", "--format=%s"], in: repo) == "Add schema CustomExtension (\(CustomSchemaTests.okta)) to User\n")
        #expect(try git(["log", "-1", "--format=%(trailers:key=SCIM-Operation,valueonly)"], in: repo).hasPrefix("SCHEMA"))
        let stored = try JSONValue.parse(Array(Data(contentsOf: URL(fileURLWithPath: repo + "/Schemas/\(CustomSchemaTests.okta).json"))))
        #expect(stored["resourceType"] == "User" && stored["required"] == false)
        #expect(stored["attributes"]?.arrayValue?.count == 6)

        let commits = try git(["rev-list", "--count", "HEAD"], in: repo)
        let again = try addSchema(CustomSchemaTests.oktaFile, repo: repo)
        #expect(again.status == 0 && again.output.contains("nothing to do"), "\(again.output)")

        // Broken documents: each refused with a reason, nothing committed.
        let bad = folder.path + "/bad.json"
        let documents: [(String, String)] = [
            (#"{"id": "urn:x:Bad", "attributes": [{"name": "a", "type": "colour"}]}"#, "not a valid type"),
            (#"{"id": "urn:x:Bad", "attributes": [{"name": "a b", "type": "string"}]}"#, "invalid \"name\""),
            (#"{"id": "not a urn", "attributes": []}"#, "URN"),
            (#"{"id": "urn:x:Bad/../../etc", "attributes": []}"#, "URN"),
            (#"{"id": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "attributes": []}"#, "already registered"),
            (#"{"id": "urn:x:Bad", "attributes": [{"name": "c", "type": "complex"}]}"#, "subAttributes"),
            ("{", "JSON"),
        ]
        for (document, reason) in documents {
            try Data(document.utf8).write(to: URL(fileURLWithPath: bad))
            let result = try addSchema(bad, repo: repo)
            #expect(result.status != 0, "\(document) was accepted")
            #expect(result.errors.contains(reason), "\(document): \(result.errors)")
        }
        #expect(try scimgit(["schema", "add", CustomSchemaTests.entraFile, "--resource", "Device", "--repo", repo]).status != 0)
        #expect(try git(["rev-list", "--count", "HEAD"], in: repo) == commits)
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/etc"))

        let list = try scimgit(["schema", "list", "--repo", repo])
        #expect(list.status == 0 && list.output.contains(CustomSchemaTests.okta) && list.output.contains("extends User"), "\(list.output)")
        let removed = try scimgit(["schema", "remove", CustomSchemaTests.okta, "--repo", repo])
        #expect(removed.status == 0, "\(removed.errors)")
        #expect(try git(["log", "-1", "--format=%s"], in: repo) == "Remove schema CustomExtension (\(CustomSchemaTests.okta)) from User\n")
        #expect(try scimgit(["schema", "list", "--repo", repo]).output.contains("No schema extensions"))
    }

    @Test func customAttributesAreListedEnforcedAndQueryable() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let urn = CustomSchemaTests.okta
        #expect(try addSchema(CustomSchemaTests.oktaFile, repo: server.store).status == 0)
        #expect(try await eventually { try await schemaIDs(okta).contains(urn) })

        // Discovery: every characteristic, and the resource type's extension.
        let schema = try #require(try await okta.get("/Schemas/\(urn)").json)
        let attributes = schema["attributes"]?.arrayValue ?? []
        let code = try #require(attributes.first { $0["name"] == "employeeCode" })
        #expect(code["uniqueness"] == "server" && code["caseExact"] == true && code["type"] == "string" && code["mutability"] == "readWrite")
        #expect(attributes.first { $0["name"] == "region" }?["canonicalValues"] == ["EMEA", "AMER", "APAC"])
        #expect(attributes.first { $0["name"] == "onboardingNote" }?["returned"] == "request")
        let userType = try #require(try await okta.get("/ResourceTypes/User").json)
        #expect(userType["schemaExtensions"]?.arrayValue?.contains { $0["schema"]?.stringValue == urn && $0["required"] == false } == true)

        // Okta's shape: the nested object.
        let ada = try await okta.post("/Users", [
            "userName": "ada@example.com",
            "schemas": [.string(SCIMSchemaURN.user), .string(urn)],
            urn: ["costCenter": "42", "employeeCode": "E-1", "region": "emea", "badgeNumber": 7, "startDate": "2026-01-05T09:00:00Z", "onboardingNote": "desk 4"],
        ])
        #expect(ada.status == 201, "\(String(decoding: ada.body, as: UTF8.self))")
        let adaID = try #require(ada.json?["id"]?.stringValue)
        #expect(ada.json?[urn]?["region"] == "EMEA", "canonical spelling stored")
        #expect(ada.json?[urn]?["onboardingNote"] == nil, "returned: request is not returned by default")
        #expect(try await okta.get("/Users/\(adaID)?attributes=\(urn):onboardingNote").json?[urn]?["onboardingNote"] == "desk 4")
        #expect(ada.json?["schemas"]?.arrayValue?.contains(.string(urn)) == true)

        // Entra's shape: the URN-qualified key at the top level, and the URN path in PATCH.
        let grace = try await SCIMClient.entra(server).post("/Users", [
            "userName": "grace@example.com", "\(urn):costCenter": "7", "\(urn):employeeCode": "E-2",
        ])
        #expect(grace.status == 201, "\(String(decoding: grace.body, as: UTF8.self))")
        let graceID = try #require(grace.json?["id"]?.stringValue)
        #expect(grace.json?[urn]?["costCenter"] == "7")
        let patched = try await okta.patch("/Users/\(graceID)", [["op": "replace", "path": .string("\(urn):costCenter"), "value": "42"]])
        #expect(patched.status == 200 && patched.json?[urn]?["costCenter"] == "42")
        let noPath = try await okta.patch("/Users/\(graceID)", [["op": "replace", "value": ["\(urn):region": "apac"]]])
        #expect(noPath.status == 200 && noPath.json?[urn]?["region"] == "APAC", "\(String(decoding: noPath.body, as: UTF8.self))")

        // Filters and sorting by the full path.
        let found = try await okta.get("/Users?filter=\(query("\(urn):costCenter eq \"42\""))&sortBy=\(urn):employeeCode")
        #expect(found.json?["totalResults"] == 2)
        #expect(found.json?["Resources"]?[0]?["userName"] == "ada@example.com")
        let exact = try await okta.get("/Users?filter=\(query("\(urn):employeeCode eq \"e-1\""))")
        #expect(exact.json?["totalResults"] == 0, "employeeCode is caseExact")

        // Bad values: the right error, nothing committed.
        let commits = try server.commitCount()
        let refused: [(JSONValue, Int, String)] = [
            ([urn: ["region": "MARS"]], 400, "invalidValue"),
            ([urn: ["startDate": "yesterday"]], 400, "invalidValue"),
            ([urn: ["badgeNumber": "seven"]], 400, "invalidValue"),
            ([urn: ["costCenter": 42]], 400, "invalidValue"),
            ([urn: ["employeeCode": "E-1"]], 409, "uniqueness"),
        ]
        for (extensionValue, status, scimType) in refused {
            var body: [String: JSONValue] = ["userName": .string("bad-\(UUID().uuidString)@example.com")]
            for (key, value) in extensionValue.objectValue ?? [:] { body[key] = value }
            let response = try await okta.post("/Users", .object(body))
            #expect(response.status == status && response.json?["scimType"]?.stringValue == scimType, "\(extensionValue): \(String(decoding: response.body, as: UTF8.self))")
        }
        let immutable = try await okta.patch("/Users/\(adaID)", [["op": "replace", "path": .string("\(urn):badgeNumber"), "value": 8]])
        #expect(immutable.status == 400 && immutable.json?["scimType"] == "mutability")
        let taken = try await okta.patch("/Users/\(graceID)", [["op": "replace", "path": .string("\(urn):employeeCode"), "value": "E-1"]])
        #expect(taken.status == 409 && taken.json?["scimType"] == "uniqueness")
        #expect(try server.commitCount() == commits)
        #expect(server.statusIsClean())
    }

    @Test func aGitRevertOfTheSchemaIsTakenInLive() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let urn = CustomSchemaTests.entra
        #expect(try addSchema(CustomSchemaTests.entraFile, repo: server.store).status == 0)
        #expect(try await eventually { try await schemaIDs(okta).contains(urn) })
        let refused = try await okta.post("/Users", ["userName": "ada@example.com", "\(urn):isContractor": "perhaps"])
        #expect(refused.status == 400, "declared: a boolean is checked")
        #expect(server.statusIsClean(), "a hand commit starts from the index the server wrote")
        _ = try git(["revert", "--no-edit", "HEAD"], in: server.store)
        #expect(try await eventually { try await !schemaIDs(okta).contains(urn) })
        // Undeclared again: kept as sent (the lenient default), never dropped.
        let kept = try await okta.post("/Users", ["userName": "ada@example.com", "\(urn):isContractor": "perhaps"])
        #expect(kept.status == 201 && kept.json?[urn]?["isContractor"] == "perhaps", "\(String(decoding: kept.body, as: UTF8.self))")
        #expect(try scimgit(["log", "--repo", server.store, "-n", "5"]).output.contains("Revert"))
    }

    @Test func undeclaredExtensionsAreKeptOrRefusedWhenStrict() async throws {
        let urn = "urn:ietf:params:scim:schemas:extension:Undeclared:2.0:User"
        let lenient = try ServerProcess()
        let kept = try await SCIMClient.entra(lenient).post("/Users", ["userName": "bob@example.com", "\(urn):costCenter": "7"])
        #expect(kept.status == 201 && kept.json?[urn]?["costCenter"] == "7", "\(String(decoding: kept.body, as: UTF8.self))")
        let id = try #require(kept.json?["id"]?.stringValue)
        #expect(try await SCIMClient.okta(lenient).get("/Users/\(id)").json?[urn]?["costCenter"] == "7")

        let strict = try ServerProcess(["--strict-schemas"])
        let commits = try strict.commitCount()
        for body: JSONValue in [
            ["userName": "bob@example.com", "\(urn):costCenter": "7"],
            ["userName": "bob@example.com", urn: ["costCenter": "7"]],
            ["userName": "bob@example.com", "favouriteColour": "green"],
        ] {
            let response = try await SCIMClient.okta(strict).post("/Users", body)
            #expect(response.status == 400 && response.json?["scimType"] == "invalidSyntax", "\(body): \(String(decoding: response.body, as: UTF8.self))")
        }
        #expect(try strict.commitCount() == commits)
        #expect(try addSchema(CustomSchemaTests.entraFile, repo: strict.store).status == 0)
        let declared = try await SCIMClient.okta(strict).post("/Users", ["userName": "bob@example.com", "\(CustomSchemaTests.entra):costCenter": "7"])
        #expect(declared.status == 201, "a declared extension is accepted: \(String(decoding: declared.body, as: UTF8.self))")
    }

    @Test func writeOnlyAndNeverReturnedValuesAreStoredButNotServed() async throws {
        let server = try ServerProcess()
        let folder = TemporaryFolder()
        let urn = "urn:example:params:scim:schemas:extension:Badge:2.0:User"
        let file = folder.path + "/badge.json"
        try Data(#"{"id": "\#(urn)", "name": "Badge", "attributes": [{"name": "code", "type": "string", "mutability": "writeOnly", "returned": "never"}, {"name": "audit", "type": "string", "returned": "never"}]}"#.utf8)
            .write(to: URL(fileURLWithPath: file))
        #expect(try addSchema(file, repo: server.store).status == 0)
        let okta = SCIMClient.okta(server)
        #expect(try await eventually { try await schemaIDs(okta).contains(urn) })
        let created = try await okta.post("/Users", ["userName": "ada@example.com", urn: ["code": "1234", "audit": "seen"]])
        #expect(created.status == 201)
        let id = try #require(created.json?["id"]?.stringValue)
        for path in ["/Users/\(id)", "/Users/\(id)?attributes=\(urn):code,\(urn):audit", "/Users?filter=\(query("userName eq \"ada@example.com\""))"] {
            let body = String(decoding: try await okta.get(path).body, as: UTF8.self)
            #expect(!body.contains("1234") && !body.contains("seen"), "\(path): \(body)")
        }
        let file2 = try String(contentsOfFile: server.store + "/Users/\(id.prefix(2))/\(id.dropFirst(2).prefix(2))/\(id).json", encoding: .utf8)
        #expect(file2.contains("1234") && file2.contains("seen"), "stored, not dropped")
    }

    @Test func removingASchemaInUseIsRefusedUnlessForced() async throws {
        let server = try ServerProcess()
        let urn = CustomSchemaTests.entra
        #expect(try addSchema(CustomSchemaTests.entraFile, repo: server.store).status == 0)
        #expect(try await eventually { try await schemaIDs(SCIMClient.okta(server)).contains(urn) })
        #expect(try await SCIMClient.entra(server).post("/Users", ["userName": "ada@example.com", "\(urn):costCenter": "7"]).status == 201)
        let refused = try scimgit(["schema", "remove", urn, "--repo", server.store])
        #expect(refused.status != 0 && refused.errors.contains("1 user still carry"), "\(refused.errors)")
        let forced = try scimgit(["schema", "remove", urn, "--repo", server.store, "--force"])
        #expect(forced.status == 0, "\(forced.errors)")
        #expect(try await eventually { try await !schemaIDs(SCIMClient.okta(server)).contains(urn) })
    }

    @Test func anInvalidSchemaCommittedByHandIsReportedAndLeftOut() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        #expect(try addSchema(CustomSchemaTests.entraFile, repo: server.store).status == 0)
        let bad = "urn:ietf:params:scim:schemas:extension:Broken:2.0:User"
        #expect(server.statusIsClean())
        try FileManager.default.createDirectory(atPath: server.store + "/Schemas", withIntermediateDirectories: true)
        try Data(#"{"id": "\#(bad)", "resourceType": "User", "attributes": [{"name": "x", "type": "colour"}]}"#.utf8)
            .write(to: URL(fileURLWithPath: server.store + "/Schemas/\(bad).json"))
        _ = try git(["add", "Schemas"], in: server.store)
        _ = try git(["commit", "-q", "-m", "hand edit"], in: server.store)
        #expect(try await eventually { try await okta.get("/Users").status == 200 })
        let ids = try await schemaIDs(okta)
        #expect(ids.contains(CustomSchemaTests.entra) && !ids.contains(bad), "the valid one stays, the broken one is left out")
        let verify = try scimgit(["verify", "--repo", server.store])
        #expect(verify.status != 0)
        #expect((verify.output + verify.errors).contains("Schemas/\(bad).json"), "\(verify.output)")
        #expect(try scimgit(["schema", "list", "--repo", server.store]).output.contains("! Schemas/\(bad).json"))
    }

    @Test func duplicateEmailsAreStoredOnceAndMemberDisplaysFollowRenames() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let email: JSONValue = ["value": "ada@example.com", "type": "work"]
        let ada = try await okta.post("/Users", ["userName": "ada@example.com", "emails": [email, email]])
        #expect(ada.json?["emails"]?.arrayValue?.count == 1)
        let id = try #require(ada.json?["id"]?.stringValue)
        let added = try await okta.patch("/Users/\(id)", [["op": "add", "path": "emails", "value": [email]]])
        #expect(added.json?["emails"]?.arrayValue?.count == 1)

        let group = try await okta.post("/Groups", ["displayName": "Engineering", "members": [["value": .string(id), "display": "ada@example.com"]]])
        let groupID = try #require(group.json?["id"]?.stringValue)
        let commits = try server.commitCount()
        #expect(try await okta.patch("/Users/\(id)", [["op": "replace", "path": "userName", "value": "ada.lovelace@example.com"]]).status == 200)
        #expect(try server.commitCount() == commits + 1, "one commit for the rename, none for the group")
        let members = try await okta.get("/Groups/\(groupID)").json?["members"]?.arrayValue ?? []
        #expect(members.first?["display"] == "ada.lovelace@example.com")
    }

    @Test func eachTenantHasItsOwnSchemas() async throws {
        let folder = TemporaryFolder()
        let root = folder.path + "/tenants"
        func add(_ name: String) throws -> String {
            let result = try scimgit(["tenant", "add", name, "--root", root])
            return String(result.output.split(separator: "\n").last ?? "")
        }
        let acmeToken = try add("acme")
        let globexToken = try add("globex")
        #expect(try addSchema(CustomSchemaTests.entraFile, repo: root + "/acme").status == 0)
        let server = try ServerProcess(tenantsRoot: root)
        let acme = SCIMClient(baseURL: server.baseURL(ofTenant: "acme"), authorization: acmeToken)
        let globex = SCIMClient(baseURL: server.baseURL(ofTenant: "globex"), authorization: globexToken)
        #expect(try await schemaIDs(acme).contains(CustomSchemaTests.entra))
        #expect(try await !schemaIDs(globex).contains(CustomSchemaTests.entra))
        let key = "\(CustomSchemaTests.entra):isContractor"
        #expect(try await acme.post("/Users", ["userName": "ada@example.com", key: "perhaps"]).status == 400)
        #expect(try await globex.post("/Users", ["userName": "ada@example.com", key: "perhaps"]).status == 201)
    }
}
