import Directory
import Foundation
import GitStore
import SCIM
import SCIMService
import Testing

/// A store's own schemas (`Schemas/<urn>.json`): read from a commit, bad files left out
/// one by one, taken in by a running directory when another process commits them, and
/// their unique attributes checked on every write.
@Suite("Store schemas")
struct StoreSchemaTests {
    static let urn = "urn:ietf:params:scim:schemas:extension:Acme:2.0:User"

    static func declaration(_ urn: String = urn, type: String = "User", attributes: String = #"[{"name": "code", "type": "string", "uniqueness": "server"}]"#) -> [UInt8] {
        Array(#"{"id": "\#(urn)", "name": "Acme", "resourceType": "\#(type)", "attributes": \#(attributes)}"#.utf8)
    }

    @Test func badFilesAreLeftOutAndTheOthersLoad() throws {
        let other = "urn:example:Other"
        let loaded = StoreSchemas.load(files: [
            ("Schemas/\(StoreSchemaTests.urn).json", StoreSchemaTests.declaration()),
            ("Schemas/urn:example:Wrong.json", StoreSchemaTests.declaration(other)),
            ("Schemas/\(other).json", Array("{".utf8)),
            ("Schemas/urn:example:Link.json", nil),
            ("Schemas/urn:example:Device.json", StoreSchemaTests.declaration("urn:example:Device", type: "Device")),
            ("Schemas/urn:ietf:params:scim:schemas:extension:acme:2.0:user.json", StoreSchemaTests.declaration("urn:ietf:params:scim:schemas:extension:acme:2.0:user")),
        ], base: .standard)
        #expect(loaded.registry.user?.extensionSchema(StoreSchemaTests.urn)?.attribute(named: "code") != nil)
        #expect(loaded.declarations.map(\.path) == ["Schemas/\(StoreSchemaTests.urn).json"])
        let problems = Dictionary(uniqueKeysWithValues: loaded.problems.map { ($0.path, $0.detail) })
        #expect(problems.count == 5)
        #expect(problems["Schemas/urn:example:Wrong.json"]?.contains("must be Schemas/\(other).json") == true)
        #expect(problems["Schemas/urn:example:Link.json"]?.contains("link") == true)
        #expect(problems["Schemas/urn:example:Device.json"]?.contains("not a resource type") == true)
        #expect(problems["Schemas/urn:ietf:params:scim:schemas:extension:acme:2.0:user.json"]?.contains("already registered") == true)
    }

    @Test func urnsThatCannotNameAFileAreRefused() throws {
        for urn in ["urn:a/../b", "urn:a b", "notaurn:x", "urn:" + String(repeating: "a", count: 300), "urn:a\u{0}b", "urn:é"] {
            #expect(throws: SCIMError.self) { try StoreSchemas.path(of: urn) }
        }
        #expect(try StoreSchemas.path(of: "urn:ietf:params:scim:schemas:extension:Acme:2.0:User") == "Schemas/urn:ietf:params:scim:schemas:extension:Acme:2.0:User.json")
    }

    @Test func aSchemaCommittedByAnotherProcessIsTakenInAndEnforced() async throws {
        let fixture = try DirectoryFixture()
        let before = try await fixture.createUser("early@example.com", extra: [StoreSchemaTests.urn: ["code": 7]])
        #expect(before.document[StoreSchemaTests.urn]?["code"] == 7, "undeclared: kept as sent")

        // As `scimgit schema add` does it: its own store handle, one commit.
        let command = try StoreSetup.open(at: fixture.root, options: GitStoreOptions())
        let editor = SchemaEditor(store: command)
        let plan = try editor.planAdd(try SchemaDeclaration.documents(in: StoreSchemaTests.declaration(), resourceType: "User", required: false))
        #expect(plan.subject == "Add schema Acme (\(StoreSchemaTests.urn)) to User")
        #expect(try editor.apply(plan, by: CLIIdentity(name: "admin")) != nil)
        try command.close()

        await #expect(throws: SCIMError.self) {
            try await fixture.createUser("typed@example.com", extra: [StoreSchemaTests.urn: ["code": 7]])
        }
        #expect(fixture.directory.registry.user?.extensionSchema(StoreSchemaTests.urn) != nil)
        let ada = try await fixture.createUser("ada@example.com", extra: [StoreSchemaTests.urn: ["code": "A-1"]])
        #expect(ada.document[StoreSchemaTests.urn]?["code"] == "A-1")

        let commits = try fixture.commitCount()
        do {
            try await fixture.createUser("grace@example.com", extra: [StoreSchemaTests.urn: ["code": "a-1"]])
            Issue.record("a unique value taken (caseExact false) was accepted")
        } catch let error as SCIMError {
            #expect(error.status == 409 && error.scimType == .uniqueness)
        }
        #expect(try fixture.commitCount() == commits)
    }

    @Test func uniqueValuesAreCheckedWithinOneBatchAndFollowChanges() async throws {
        let fixture = try DirectoryFixture()
        let command = try StoreSetup.open(at: fixture.root, options: GitStoreOptions())
        let editor = SchemaEditor(store: command)
        _ = try editor.apply(try editor.planAdd(try SchemaDeclaration.documents(in: StoreSchemaTests.declaration(), resourceType: "User", required: false)), by: CLIIdentity(name: "admin"))
        try command.close()

        // Many writes at once land in shared batches: exactly one gets each value.
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                group.addTask {
                    (try? await fixture.createUser("u\(index)@example.com", extra: [StoreSchemaTests.urn: ["code": .string("C-\(index % 4)")]])) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 4)

        // A value given up is free again; one taken by a PATCH is not.
        let userType = try #require(fixture.directory.registry.user)
        let holder = try #require(try await fixture.search(userType, ["filter": "\(StoreSchemaTests.urn):code eq \"C-0\""]).resources.first)
        _ = try await fixture.patch(.user, holder.id, [["op": "replace", "path": .string("\(StoreSchemaTests.urn):code"), "value": "C-9"]])
        #expect(try await fixture.createUser("free@example.com", extra: [StoreSchemaTests.urn: ["code": "C-0"]]).id.isEmpty == false)
        await #expect(throws: SCIMError.self) {
            try await fixture.createUser("taken@example.com", extra: [StoreSchemaTests.urn: ["code": "C-9"]])
        }
    }
}
