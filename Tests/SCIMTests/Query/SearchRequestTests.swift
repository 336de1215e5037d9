import Testing
@testable import SCIM

@Suite("Search requests (query parameters and .search bodies)")
struct SearchRequestTests {
    @Test func oktaUserLookup() throws {
        let request = try SearchRequest(query: ["filter": #"userName eq "x@y.com""#, "startIndex": "1", "count": "100"], for: userType)
        #expect(request.filter == .compare(AttributePath(attribute: "userName"), .eq, "x@y.com"))
        #expect(request.paging == Paging(startIndex: 1, count: 100))
        #expect(request.sort == nil && request.projection.isDefault)
    }

    @Test func oktaTestCredentialsAndEntraGroupLookup() throws {
        let credentials = try SearchRequest(query: ["startIndex": "1", "count": "2"], for: userType)
        #expect(credentials.filter == nil && credentials.paging.count == 2)
        let entra = try SearchRequest(query: ["filter": #"displayName eq "G""#, "excludedAttributes": "members"], for: groupType)
        #expect(entra.projection.includes("members", as: groupType) == false)
    }

    @Test func everyParameter() throws {
        let request = try SearchRequest(query: [
            "FILTER": "title pr", "attributes": "userName,name.givenName", "excludedAttributes": "emails",
            "sortBy": "name.familyName", "sortOrder": "descending", "startIndex": " 0 ", "count": "-3",
        ], for: userType, limits: PagingLimits(defaultCount: 10, maxCount: 50))
        #expect(request.filter == .present(AttributePath(attribute: "title")))
        #expect(request.projection.attributes.count == 2 && request.projection.excludedAttributes.count == 1)
        #expect(request.sort?.path == AttributePath(attribute: "name", subAttribute: "familyName"))
        #expect(request.sort?.order == .descending)
        #expect(request.paging == Paging(startIndex: 1, count: 0))
        let capped = try SearchRequest(query: ["count": "99999999999999999999999"], for: userType, limits: PagingLimits(defaultCount: 10, maxCount: 50))
        #expect(capped.paging.count == 50)
        #expect(try SearchRequest(query: ["sortOrder": "descending"], for: userType).sort == nil, "sortOrder alone does nothing")
    }

    @Test func rfcSearchRequestBody() throws {
        let request = try SearchRequest(body: Fixture.json("rfc7644/search-request.json"), for: userType)
        #expect(request.projection.attributes == [AttributePath(attribute: "displayName"), AttributePath(attribute: "userName")])
        #expect(request.filter == .compare(AttributePath(attribute: "displayName"), .sw, "smith"))
        #expect(request.paging == Paging(startIndex: 1, count: 10))
    }

    @Test func bodyLeniency() throws {
        let request = try SearchRequest(body: try json(#"{"attributes":"userName, emails","startIndex":"2","count":5.0,"sortBy":"userName"}"#), for: userType)
        #expect(request.projection.attributes.count == 2)
        #expect(request.paging == Paging(startIndex: 2, count: 5))
        #expect(request.sort?.order == .ascending)
        let untyped = try SearchRequest(body: try json(#"{"filter":"anything eq 1"}"#), for: nil)
        #expect(untyped.filter != nil)
    }

    @Test(arguments: [
        (["startIndex": "abc"], SCIMType.invalidValue),
        (["count": "1.5"], .invalidValue),
        (["count": "ten"], .invalidValue),
        (["filter": "userName eq"], .invalidFilter),
        (["filter": ""], .invalidFilter),
        (["filter": #"nope eq "x""#], .invalidFilter),
        (["sortBy": "nope"], .invalidValue),
        (["sortBy": "userName", "sortOrder": "sideways"], .invalidValue),
        (["attributes": "user name"], .invalidValue),
        (["excludedAttributes": "a..b"], .invalidValue),
    ])
    func queryErrors(query: [String: String], type: SCIMType) {
        expectSCIMError(type) { _ = try SearchRequest(query: query, for: userType) }
    }

    @Test(arguments: [
        (#"[]"#, SCIMType.invalidSyntax),
        (#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}"#, .invalidSyntax),
        (#"{"filter":5}"#, .invalidValue),
        (#"{"attributes":[1]}"#, .invalidValue),
        (#"{"attributes":{"a":1}}"#, .invalidValue),
        (#"{"startIndex":"x"}"#, .invalidValue),
        (#"{"count":1.5}"#, .invalidValue),
        (#"{"count":true}"#, .invalidValue),
        (#"{"filter":"(title pr"}"#, .invalidFilter),
        (#"{"sortBy":"title","sortOrder":1}"#, .invalidValue),
    ])
    func bodyErrors(body: String, type: SCIMType) throws {
        let value = try json(body)
        expectSCIMError(type) { _ = try SearchRequest(body: value, for: userType) }
    }

    @Test func integerParsing() {
        #expect(SearchRequest.parseInteger("42") == 42)
        #expect(SearchRequest.parseInteger("-7") == -7)
        #expect(SearchRequest.parseInteger("+7") == 7)
        #expect(SearchRequest.parseInteger("99999999999999999999") == Int.max)
        #expect(SearchRequest.parseInteger("-99999999999999999999") == Int.min)
        #expect(SearchRequest.parseInteger("") == nil)
        #expect(SearchRequest.parseInteger("1e3") == nil)
        #expect(SearchRequest.parseInteger("١٢") == nil)
    }
}
