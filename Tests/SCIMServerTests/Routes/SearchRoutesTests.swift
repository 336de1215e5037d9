import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SCIM
import Testing
@testable import SCIMServer

/// `GET /Users?filter=…` and `POST …/.search`, as Okta's and Entra's lookups and imports
/// send them.
@Suite struct SearchRoutesTests {
    @Test func oktaTestAPICredentialsOnAnEmptyStore() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let response = try await client.scim(.get, "Users?startIndex=1&count=2")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/scim+json")
            let json = try response.json
            #expect(json["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"])
            #expect(json["totalResults"] == 0)
            #expect(json["startIndex"] == 1)
            #expect(json["itemsPerPage"] == 0)
            #expect(json["Resources"] == [])
        }
    }

    @Test(arguments: [
        "filter=userName%20eq%20%22Ada%40Example.com%22",
        "filter=userName+eq+%22ada@example.com%22",
        "filter=userName+eq+\"ADA@EXAMPLE.COM\"&startIndex=1&count=100",
        "FILTER=userName%20eq%20%22ada%40example.com%22",
    ])
    func filterDecodesPlusAndPercentAsOktaSendsThem(query: String) async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let id = try await client.createUser("ada@example.com")
            _ = try await client.createUser("grace@example.com")
            let response = try await client.scim(.get, "Users?\(query)")
            #expect(response.status == .ok)
            let json = try response.json
            #expect(json["totalResults"] == 1)
            #expect(json["Resources"]?[0]?["id"]?.stringValue == id)
        }
    }

    @Test func noMatchIsAnEmptyListNotA404() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            _ = try await client.createUser("ada@example.com")
            let response = try await client.scim(.get, "Users?filter=userName+eq+%22nobody%22")
            #expect(response.status == .ok)
            #expect(try response.json["totalResults"] == 0)
        }
    }

    @Test func pagingSortingAndProjection() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            for name in ["c@example.com", "a@example.com", "d@example.com", "b@example.com"] {
                _ = try await client.createUser(name)
            }
            let response = try await client.scim(.get, "Users?sortBy=userName&sortOrder=descending&startIndex=2&count=2&attributes=userName")
            #expect(response.status == .ok)
            let json = try response.json
            #expect(json["totalResults"] == 4)
            #expect(json["startIndex"] == 2)
            #expect(json["itemsPerPage"] == 2)
            let resources = try #require(json["Resources"]?.arrayValue)
            #expect(resources.map { $0["userName"] } == ["c@example.com", "b@example.com"])
            #expect(resources.allSatisfy { $0["name"] == nil && $0["id"] != nil })

            let excluded = try await client.scim(.get, "Users?excludedAttributes=emails,name&count=1")
            let first = try #require(try excluded.json["Resources"]?[0])
            #expect(first["emails"] == nil && first["name"] == nil && first["userName"] != nil)
        }
    }

    @Test func pageSizeIsCappedByThePagingLimits() async throws {
        let app = try TestServer.application { $0.paging = PagingLimits(defaultCount: 2, maxCount: 3) }
        try await app.test(.router) { client in
            for index in 0..<5 { _ = try await client.createUser("user\(index)@example.com") }
            let capped = try await client.scim(.get, "Users?count=1000")
            #expect(try capped.json["itemsPerPage"] == 3)
            #expect(try capped.json["totalResults"] == 5)
            let defaulted = try await client.scim(.get, "Users")
            #expect(try defaulted.json["itemsPerPage"] == 2)
        }
    }

    @Test(arguments: ["filter=userName%20zz%20%22x%22", "filter=", "filter=userName%20eq%20%22unterminated", "filter=%zz"])
    func badFiltersAre400InvalidFilter(query: String) async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let response = try await client.scim(.get, "Users?\(query)")
            #expect(response.status == .badRequest)
            #expect(response.scimError?.scimType == .invalidFilter)
            #expect(response.headers[.contentType] == "application/scim+json")
        }
    }

    @Test func badPagingIs400InvalidValue() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let response = try await client.scim(.get, "Users?count=ten")
            #expect(response.status == .badRequest)
            #expect(response.scimError?.scimType == .invalidValue)
        }
    }

    @Test func searchBodyOnAResourceType() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let id = try await client.createUser("ada@example.com")
            _ = try await client.createUser("grace@example.com")
            let body: JSONValue = [
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                "filter": "userName sw \"ada\"", "attributes": ["userName"], "startIndex": 1, "count": 10,
            ]
            let response = try await client.scim(.post, "Users/.search", json: body)
            #expect(response.status == .ok)
            let json = try response.json
            #expect(json["totalResults"] == 1)
            #expect(json["Resources"]?[0]?["id"]?.stringValue == id)
            #expect(json["Resources"]?[0]?["name"] == nil)
        }
    }

    @Test func searchAtTheRootCoversEveryResourceType() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            _ = try await client.createUser("ada@example.com")
            #expect(try await client.scim(.post, "Groups", json: try Fixtures.json("okta/create-group.json")).status == .created)
            let response = try await client.scim(.post, ".search", json: ["schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]])
            #expect(response.status == .ok)
            #expect(try response.json["totalResults"] == 2)
        }
    }

    @Test func searchBodyThatIsNotASearchRequestIs400() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let response = try await client.scim(.post, "Users/.search", json: ["schemas": ["urn:wrong"]])
            #expect(response.status == .badRequest)
            #expect(response.scimError?.scimType == .invalidSyntax)
        }
    }
}
