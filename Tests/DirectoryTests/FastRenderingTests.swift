import Foundation
import GitStore
@testable import Directory
import SCIM
import SCIMService
import Testing

/// Reads with the default projection are rendered from the file's bytes (no parse); they
/// must answer exactly what the parsing path answers, and fall back to it for a file that
/// is not as scimgit writes it.
@Suite("Directory: answers rendered from stored bytes")
struct FastRenderingTests {
    @Test func getAndListAnswerWhatTheParsingPathAnswers() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com", extra: ["displayName": "Ada Lovelace", "title": "Countess ☆"])
        let bob = try await fixture.createUser("bob@example.com")
        let eng = try await fixture.createGroup("Engineering", members: [ada.id, bob.id])

        for (type, id) in [(ResourceType.user, ada.id), (.user, bob.id), (.group, eng.id)] {
            let fast = try await fixture.get(type, id)
            #expect(fast.body != nil, "rendered without a parse")
            let everything = try Projection(attributes: nil, excludedAttributes: "doesNotExist")
            let parsed = try await fixture.directory.get(type, id: id, projection: everything, context: fixture.okta)
            #expect(fast.document == parsed.document)
            #expect(fast.version == parsed.version)
        }
        let page = try await fixture.search(.user, [:])
        #expect(page.resources.allSatisfy { $0.body != nil })
        let list = try JSONValue.parse(page.serializedListResponse)
        #expect(list == page.listResponse.json)
        #expect(list["itemsPerPage"] == .int(2))
        #expect(list["Resources"]?.arrayValue?.first?["groups"]?.arrayValue?.first?["value"]?.stringValue == eng.id)
    }

    /// A custom extension's writeOnly (and `returned: never`/`request`) values are stored,
    /// so no answer may come from the file's bytes as they are.
    @Test func storedValuesThatAreNeverReturnedAreLeftOut() async throws {
        let fixture = try DirectoryFixture()
        var registry = SchemaRegistry.standard
        try registry.loadExtensions(from: try JSONValue.parse(#"""
            {"id":"urn:x:secret:2.0:User","attributes":[{"name":"pin","type":"string","mutability":"writeOnly","returned":"never"},
             {"name":"note","type":"string","returned":"request"},{"name":"code","type":"string"}]}
            """#), to: "User")
        try fixture.directory.close()
        fixture.directory = try DirectoryService(
            store: try StoreSetup.open(at: fixture.folder.path + "/store", options: DirectoryFixture.serving), registry: registry)
        let user = try #require(registry.user)
        let body: JSONValue = ["userName": "ada@example.com", "urn:x:secret:2.0:User": ["pin": "4711", "note": "n", "code": "c"]]
        let created = try await fixture.directory.create(user, document: body, projection: .default, context: fixture.okta)
        let file = try String(contentsOfFile: fixture.root + "/" + ResourceKind.user.path(of: created.id), encoding: .utf8)
        #expect(file.contains("4711"), "stored")
        let patched = try await fixture.directory.patch(
            user, id: created.id, request: try PatchRequest(json: try JSONValue.parse(#"{"Operations":[{"op":"replace","path":"urn:x:secret:2.0:User:code","value":"d"}]}"#)),
            precondition: nil, projection: .default, context: fixture.okta)
        let got = try await fixture.directory.get(user, id: created.id, projection: .default, context: fixture.okta)
        let listed = try await fixture.directory.search([user], SearchRequest(), context: fixture.okta)
        for answer in [created.serialized, patched.serialized, got.serialized, listed.serializedListResponse] {
            let text = String(decoding: answer, as: UTF8.self)
            #expect(!text.contains("4711") && !text.contains("\"note\""), "\(text)")
            #expect(text.contains("\"code\""))
        }
    }

    @Test func aFileEditedByHandIsRenderedByParsing() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        let path = fixture.root + "/" + ResourceKind.user.path(of: ada.id)
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"userName\"", with: "\"nickName\": \"\\u00e9\",\n  \"userName\"")
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let record = try await fixture.get(.user, ada.id)
        #expect(record.body == nil)
        #expect(record.document["nickName"] == "é")
        #expect(record.document["meta"]?["location"]?.stringValue?.hasSuffix("/Users/" + ada.id) == true)
    }
}
