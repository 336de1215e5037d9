import Testing
@testable import SCIM

@Suite("List responses")
struct ListResponseTests {
    @Test func listResponse() {
        let response = ListResponse(totalResults: 3, startIndex: 2, resources: [["id": "b"]])
        #expect(response.itemsPerPage == 1)
        #expect(response.json == [
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": 3, "startIndex": 2, "itemsPerPage": 1, "Resources": [["id": "b"]],
        ])
        let empty = ListResponse(totalResults: 0, startIndex: 1, resources: [])
        #expect(empty.json["Resources"] == [], "always present, so clients can index it")
        #expect(empty.json["totalResults"] == .int(0))
    }

    /// Resources rendered from stored bytes are spliced in as they are: the same answer as
    /// serializing the parsed resources, and not a byte of theirs rewritten.
    @Test func renderedResourcesAreCopiedIn() throws {
        let resources: [JSONValue] = [
            ["id": "a", "userName": "ann", "emails": [["value": "a@x", "primary": true]], "meta": ["resourceType": "User"]],
            ["id": "b", "userName": "Bob \"B\" Ünicode 😀", "active": false],
        ]
        let rendered = resources.map { $0.serialized(.compact) }
        let bytes = ListResponse.serialized(totalResults: 7, startIndex: 3, renderedResources: rendered)
        #expect(bytes == ListResponse(totalResults: 7, startIndex: 3, resources: resources).json.serialized(.compact))
        #expect(try JSONValue.parse(bytes)["itemsPerPage"] == 2)

        let empty = ListResponse.serialized(totalResults: 0, startIndex: 1, renderedResources: [])
        #expect(String(decoding: empty, as: UTF8.self)
            == #"{"Resources":[],"itemsPerPage":0,"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"startIndex":1,"totalResults":0}"#)

        // Copied, not re-serialized: bytes in another order than the writer's stay so.
        let unsorted = Array(#"{"userName":"z","id":"c"}"#.utf8)
        let spliced = String(decoding: ListResponse.serialized(totalResults: 1, startIndex: 1, renderedResources: [unsorted]), as: UTF8.self)
        #expect(spliced.hasPrefix(#"{"Resources":[{"userName":"z","id":"c"}],"itemsPerPage":1,"#))
    }
}
