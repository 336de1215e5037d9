import Testing
@testable import SCIM

@Suite("Projection (attributes / excludedAttributes)")
struct ProjectionTests {
    let user: JSONValue
    let group: JSONValue

    init() throws {
        user = try ResourceValidator().canonicalizeStored(Fixture.json("rfc7644/user-enterprise.json"), as: userType)
        group = try ResourceValidator().canonicalizeStored(Fixture.json("rfc7644/group.json"), as: groupType)
    }

    func project(_ attributes: String?, _ excluded: String?, _ resource: JSONValue? = nil, _ type: ResourceType = userType) throws -> JSONValue {
        try Projection(attributes: attributes, excludedAttributes: excluded).apply(to: resource ?? user, as: type)
    }

    @Test func rfcExampleAttributesUserName() throws {
        // RFC 7644 §3.9: GET /Users/2819c223…?attributes=userName
        #expect(try project("userName", nil) == [
            "schemas": [.string(SCIMSchemaURN.user), .string(enterpriseURN)],
            "id": "2819c223-7f76-453a-919d-413861904646",
            "userName": "bjensen@example.com",
        ])
    }

    @Test func defaultProjectionDropsOnlyNeverAndRequest() throws {
        var withPassword = user
        withPassword["password"] = "leak"
        let projected = Projection.default.apply(to: withPassword, as: userType)
        #expect(projected["password"] == nil)
        var expected = user
        expected["password"] = nil
        #expect(projected == expected)
        #expect(Projection.default.isDefault)
    }

    @Test func subAttributes() throws {
        #expect(try project("name.givenName,emails.value", nil)["name"] == ["givenName": "Barbara"])
        #expect(try project("name.givenName,emails.value", nil)["emails"] == [["value": "bjensen@example.com"], ["value": "babs@jensen.org"]])
        #expect(try project("name.givenName,name.familyName", nil)["name"] == ["givenName": "Barbara", "familyName": "Jensen"])
        #expect(try project("name,name.givenName", nil)["name"] == user["name"], "whole wins over a part")
        let excluded = try project(nil, "name.givenName,emails.type")
        #expect(excluded["name"]?["givenName"] == nil && excluded["name"]?["familyName"] == "Jensen")
        #expect(excluded["emails"]?[0] == ["value": "bjensen@example.com", "primary": true])
    }

    @Test func urnQualifiedNames() throws {
        let department = try project("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", nil)
        #expect(department[enterpriseURN] == ["department": "Tour Operations"])
        #expect(department["userName"] == nil)
        let manager = try project("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", nil)
        #expect(manager[enterpriseURN] == ["manager": ["value": "26118915-6090-4610-87e4-49d8ca9f808d"]])
        let whole = try project(enterpriseURN, nil)
        #expect(whole[enterpriseURN] == user[enterpriseURN])
        let core = try project("urn:ietf:params:scim:schemas:core:2.0:User:userName", nil)
        #expect(core["userName"] == "bjensen@example.com")
        let excludedExtension = try project(nil, enterpriseURN)
        #expect(excludedExtension[enterpriseURN] == nil)
        let excludedOne = try project(nil, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager")
        #expect(excludedOne[enterpriseURN]?["manager"] == nil && excludedOne[enterpriseURN]?["department"] != nil)
    }

    @Test func namesAreCaseInsensitive() throws {
        #expect(try project("USERNAME,Name.GivenName", nil)["name"] == ["givenName": "Barbara"])
        #expect(try project(nil, "EMAILS")["emails"] == nil)
    }

    @Test func alwaysAndNeverWin() throws {
        let excluded = try project(nil, "id,schemas,userName")
        #expect(excluded["id"] != nil && excluded["schemas"] != nil)
        #expect(excluded["userName"] == nil)
        var withPassword = user
        withPassword["password"] = "p"
        #expect(try project("password", nil, withPassword)["password"] == nil)
    }

    @Test func returnedRequestNeedsToBeAsked() throws {
        var registry = SchemaRegistry.standard
        try registry.loadExtensions(from: Fixture.bytes("okta/acme-extension-schema.json"), to: "User")
        let type = try #require(registry.user)
        let acme = "urn:ietf:params:scim:schemas:extension:acme:2.0:User"
        let resource: JSONValue = ["id": "u", "userName": "a", .init(acme): ["secretQuestion": "pet?", "costCentre": "c"]]
        #expect(Projection.default.apply(to: resource, as: type)[acme] == ["costCentre": "c"])
        #expect(try Projection(attributes: "\(acme):secretQuestion", excludedAttributes: nil).apply(to: resource, as: type)[acme] == ["secretQuestion": "pet?"])
        #expect(try Projection(attributes: acme, excludedAttributes: nil).apply(to: resource, as: type)[acme] == ["costCentre": "c"])
        #expect(try Projection(attributes: "userName", excludedAttributes: nil).includes("\(acme):secretQuestion", as: type) == false)
        #expect(Projection.default.includes("\(acme):secretQuestion", as: type) == false)
        #expect(try Projection(attributes: "\(acme):secretQuestion", excludedAttributes: nil).includes("\(acme):secretQuestion", as: type))
    }

    @Test func entraExcludesMembers() throws {
        let projection = try Projection(attributes: nil, excludedAttributes: "members")
        let projected = projection.apply(to: group, as: groupType)
        #expect(projected["members"] == nil && projected["displayName"] == "Tour Guides" && projected["id"] != nil)
        #expect(projection.includes("members", as: groupType) == false)
        #expect(Projection.default.includes("members", as: groupType))
        #expect(try Projection(attributes: "displayName", excludedAttributes: nil).includes("members", as: groupType) == false)
        #expect(try Projection(attributes: "members.value", excludedAttributes: nil).includes("members", as: groupType))
        #expect(try Projection(attributes: "displayName", excludedAttributes: nil).includes("id", as: groupType))
        #expect(Projection.default.includes("password", as: userType) == false)
        #expect(try Projection(attributes: enterpriseURN, excludedAttributes: nil).includes("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", as: userType))
        #expect(try Projection(attributes: nil, excludedAttributes: enterpriseURN).includes("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", as: userType) == false)
    }

    @Test func bothListsApplyAttributesFirst() throws {
        let projected = try project("userName,name,emails", "name.givenName,emails")
        #expect(Set(projected.objectValue!.keys) == ["schemas", "id", "userName", "name"])
        #expect(projected["name"]?["givenName"] == nil)
    }

    @Test func unknownButWellFormedNamesSelectNothing() throws {
        let projected = try project("nickname2,urn:acme:1.0:User:x", nil)
        #expect(Set(projected.objectValue!.keys) == ["schemas", "id"])
        let unknownExtension: JSONValue = ["id": "u", "userName": "a", "urn:acme:1.0:User": ["x": 1, "y": 2]]
        #expect(try project("urn:acme:1.0:User:x", nil, unknownExtension)["urn:acme:1.0:User"] == ["x": 1])
        #expect(try project("urn:acme:1.0:User", nil, unknownExtension)["urn:acme:1.0:User"] == ["x": 1, "y": 2])
        #expect(try project(nil, "urn:acme:1.0:User:y", unknownExtension)["urn:acme:1.0:User"] == ["x": 1])
    }

    @Test func listForms() throws {
        let projection = try Projection(attributes: " userName , ,emails.value,", excludedAttributes: "")
        #expect(projection.attributes == [AttributePath(attribute: "userName"), AttributePath(attribute: "emails", subAttribute: "value")])
        #expect(projection.excludedAttributes.isEmpty)
        let arrays = try Projection(attributes: ["displayName"], excludedAttributes: ["members"])
        #expect(arrays.attributes.count == 1 && arrays.excludedAttributes.count == 1)
    }

    @Test(arguments: ["user name", "emails[type eq \"work\"]", "name..x", "9abc", "a.b.c"])
    func malformedNamesAreInvalidValue(name: String) {
        expectSCIMError(.invalidValue) { _ = try Projection(attributes: name, excludedAttributes: nil) }
        expectSCIMError(.invalidValue) { _ = try Projection(attributes: [], excludedAttributes: [name]) }
    }

    @Test func nonObjectsPassThrough() {
        #expect(Projection.default.apply(to: "x", as: userType) == "x")
    }

    /// `returned` of custom extension attributes, named by full URN path.
    @Test func returnedCharacteristicsOfACustomExtension() throws {
        let type = try CustomExtension.userType()
        let urn = CustomExtension.urn
        let resource: JSONValue = ["id": "u", "userName": "bob", .init(urn): [
            "costCenter": "c", "pin": "1234", "note": "n", "badgeId": "B-7",
        ]]
        func project(_ attributes: String?, _ excluded: String?) throws -> JSONValue? {
            try Projection(attributes: attributes, excludedAttributes: excluded).apply(to: resource, as: type)[.init(urn)]
        }
        #expect(try project(nil, nil) == ["costCenter": "c", "badgeId": "B-7"], "never and request are left out")
        #expect(try project("\(urn):note", nil) == ["note": "n", "badgeId": "B-7"], "request when named; always always")
        #expect(try project("\(urn):pin", nil) == ["badgeId": "B-7"], "never, even when named")
        #expect(try project("userName", nil) == ["badgeId": "B-7"])
        #expect(try project(nil, "\(urn):badgeId,\(urn):costCenter") == ["badgeId": "B-7"], "always, even when excluded")
        #expect(try project(nil, urn) == ["badgeId": "B-7"])
        #expect(try project(urn, nil) == ["costCenter": "c", "badgeId": "B-7"])
        #expect(try Projection(attributes: "\(urn):note", excludedAttributes: nil).includes("\(urn):note", as: type))
        #expect(Projection.default.includes("\(urn):pin", as: type) == false)
        #expect(try Projection(attributes: "userName", excludedAttributes: nil).includes("\(urn):badgeId", as: type))
    }
}
