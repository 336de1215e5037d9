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
