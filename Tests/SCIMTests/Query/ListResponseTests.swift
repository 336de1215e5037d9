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
}
