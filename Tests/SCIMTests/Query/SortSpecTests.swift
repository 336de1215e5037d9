import Testing
@testable import SCIM

@Suite("Sorting")
struct SortSpecTests {
    func names(_ resources: [JSONValue]) -> [String] { resources.compactMap { $0["id"]?.stringValue } }

    let users: [JSONValue] = [
        ["id": "1", "userName": "charlie", "name": ["givenName": "Zed"], "meta": ["created": "2021-01-01T00:00:00Z"], "emails": [["value": "b@x"], ["value": "z@x", "primary": true]]],
        ["id": "2", "userName": "Alpha", "meta": ["created": "2020-06-01T02:00:00+02:00"], "emails": [["value": "a@x"]]],
        ["id": "3", "userName": "bravo", "name": ["givenName": "amy"], "meta": ["created": "2020-06-01T01:00:00Z"]],
        ["id": "4", "userName": "delta", "name": ["givenName": "Bob"]],
    ]

    @Test func stringsSortCaseInsensitively() throws {
        let spec = try SortSpec(sortBy: "userName", for: userType)
        #expect(names(spec.sorted(users)) == ["2", "3", "1", "4"])
        let descending = try SortSpec(sortBy: "userName", sortOrder: "descending", for: userType)
        #expect(names(descending.sorted(users)) == ["4", "1", "3", "2"])
    }

    @Test func missingValuesAreLastAscendingAndFirstDescending() throws {
        let ascending = try SortSpec(sortBy: "name.givenName", for: userType)
        #expect(names(ascending.sorted(users)) == ["3", "4", "1", "2"])
        let descending = try SortSpec(sortBy: "name.givenName", sortOrder: "DESCENDING", for: userType)
        #expect(names(descending.sorted(users)) == ["2", "1", "4", "3"])
        #expect(ascending.key(for: users[1]).isMissing)
    }

    @Test func dateTimesSortAsInstants() throws {
        let spec = try SortSpec(sortBy: "meta.created", for: userType)
        // "2020-06-01T02:00:00+02:00" is 00:00Z, before "01:00Z".
        #expect(names(spec.sorted(users)) == ["2", "3", "1", "4"])
    }

    @Test func multiValuedSortsByPrimaryElseFirst() throws {
        let spec = try SortSpec(sortBy: "emails", for: userType)
        #expect(names(spec.sorted(users)) == ["2", "1", "3", "4"], "a@x, then z@x (user 1's primary, not its first b@x), then the missing")
        let byValue = try SortSpec(sortBy: "emails.value", sortOrder: "descending", for: userType)
        #expect(names(byValue.sorted(users)).prefix(2) == ["3", "4"], "missing first when descending")
        #expect(names(byValue.sorted(users)).suffix(2) == ["1", "2"], "z@x (primary) after a@x")
    }

    @Test func caseExactAttributesSortByCodePoint() throws {
        let resources: [JSONValue] = [["id": "1", "externalId": "b"], ["id": "2", "externalId": "B"], ["id": "3", "externalId": "a"]]
        #expect(names(try SortSpec(sortBy: "externalId", for: userType).sorted(resources)) == ["2", "3", "1"])
        #expect(names(try SortSpec(sortBy: "userName", for: userType).sorted([["id": "x", "userName": "b"], ["id": "y", "userName": "B"]])) == ["x", "y"], "ties keep input order")
    }

    @Test func numbersBooleansAndUntyped() throws {
        let resources: [JSONValue] = [
            ["id": "1", "active": true, "urn:acme:1:User": ["n": 10]],
            ["id": "2", "active": false, "urn:acme:1:User": ["n": 9.5]],
            ["id": "3", "urn:acme:1:User": ["n": "text"]],
        ]
        #expect(names(try SortSpec(sortBy: "active", for: userType).sorted(resources)) == ["2", "1", "3"])
        #expect(names(try SortSpec(sortBy: "urn:acme:1:User:n", for: userType).sorted(resources)) == ["2", "1", "3"])
        #expect(names(SortSpec(path: AttributePath(attribute: "userName")).sorted([["id": "1", "userName": "b"], ["id": "2", "userName": "A"]])) == ["2", "1"])
    }

    @Test func extensionAttributes() throws {
        let resources: [JSONValue] = [
            ["id": "1", .init(enterpriseURN): ["department": "Sales"]],
            ["id": "2", .init(enterpriseURN): ["department": "eng"]],
        ]
        #expect(names(try SortSpec(sortBy: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", for: userType).sorted(resources)) == ["2", "1"])
    }

    @Test func compareGivesTheSortDirection() throws {
        let spec = try SortSpec(sortBy: "userName", sortOrder: "ascending", for: userType)
        #expect(spec.compare(users[1], users[0]) < 0)
        #expect(spec.compare(users[0], users[0]) == 0)
        #expect(spec.order == .ascending && spec.path == AttributePath(attribute: "userName"))
        #expect(try SortSpec(sortBy: "USERNAME", for: userType).path.attribute == "userName")
    }

    @Test(arguments: [("nope", nil as String?), ("name", nil), ("user name", nil), ("userName", "up"), (enterpriseURN, nil), ("name.nope", nil)])
    func invalidSortParametersAreInvalidValue(sortBy: String, sortOrder: String?) {
        expectSCIMError(.invalidValue) { _ = try SortSpec(sortBy: sortBy, sortOrder: sortOrder, for: userType) }
    }

    @Test func customExtensionAttributesSortByFullPathWithTheirCaseExact() throws {
        let type = try CustomExtension.userType()
        let urn = CustomExtension.urn
        let users: [JSONValue] = [
            ["id": "1", .init(urn): ["costCenter": "b", "employeeCode": "b", "level": 10]],
            ["id": "2", .init(urn): ["costCenter": "A", "employeeCode": "B", "level": 9]],
            ["id": "3", .init(urn): ["costCenter": "c", "employeeCode": "a"]],
        ]
        #expect(names(try SortSpec(sortBy: "\(urn):costCenter", for: type).sorted(users)) == ["2", "1", "3"])
        // Case-exact: by code point, so "B" sorts before "a".
        #expect(names(try SortSpec(sortBy: "\(urn):employeeCode", for: type).sorted(users)) == ["2", "3", "1"])
        #expect(names(try SortSpec(sortBy: "\(urn):level", sortOrder: "descending", for: type).sorted(users)) == ["3", "1", "2"])
        expectSCIMError(.invalidValue) { _ = try SortSpec(sortBy: "\(urn):pin", for: type) }
    }
}
