import Testing
@testable import SCIM

@Suite("Attribute diff")
struct AttributeDiffTests {
    @Test func identicalResourcesHaveNoChanges() throws {
        let user = try Fixture.json("rfc7644/user-enterprise.json")
        #expect(AttributeDiff.changes(from: user, to: user, as: userType).isEmpty)
    }

    @Test func namesChangesByDottedPathInSchemaOrder() throws {
        let before = try json(#"""
            {"id":"1","userName":"a","active":true,"name":{"givenName":"A","familyName":"F"},"emails":[{"value":"a@x"}],
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"D1","manager":{"value":"m1"}},
             "meta":{"lastModified":"2020-01-01T00:00:00Z"},"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]}
            """#)
        let after = try json(#"""
            {"id":"1","userName":"a","active":false,"name":{"givenName":"B","familyName":"F"},"emails":[{"value":"b@x"}],"title":"T",
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"D2","manager":{"value":"m2"}},
             "meta":{"lastModified":"2021-01-01T00:00:00Z"},"schemas":["urn:x"]}
            """#)
        let changes = AttributeDiff.changes(from: before, to: after, as: userType)
        #expect(changes == [
            AttributeChange(path: "name.givenName", before: "A", after: "B"),
            AttributeChange(path: "title", before: nil, after: "T"),
            AttributeChange(path: "active", before: true, after: false),
            AttributeChange(path: "emails", before: [["value": "a@x"]], after: [["value": "b@x"]]),
            AttributeChange(path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", before: "D1", after: "D2"),
            AttributeChange(path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", before: "m1", after: "m2"),
        ])
    }

    @Test func complexAttributesAppearingOrDisappearingAreOneChange() throws {
        let before: JSONValue = ["userName": "a"]
        let after: JSONValue = ["userName": "a", "name": ["givenName": "G"], .init(enterpriseURN): ["manager": ["value": "m"]]]
        #expect(AttributeDiff.changes(from: before, to: after, as: userType).map(\.path) == [
            "name", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
        ])
        #expect(AttributeDiff.changes(from: after, to: before, as: userType).allSatisfy { $0.after == nil })
    }

    @Test func createAndDeleteAreDiffsFromAndToNothing() throws {
        let group: JSONValue = ["id": "g", "displayName": "G", "members": [["value": "u"]]]
        #expect(AttributeDiff.changes(from: nil, to: group, as: groupType).map(\.path) == ["id", "displayName", "members"])
        #expect(AttributeDiff.changes(from: group, to: nil, as: groupType).map(\.path) == ["id", "displayName", "members"])
    }

    @Test func attributesOutsideTheSchemaAreDiffedToo() throws {
        let before: JSONValue = ["userName": "a", "urn:acme:1.0:User": ["k": 1, "same": true], "zzz": 1, "aaa": 1]
        let after: JSONValue = ["userName": "a", "urn:acme:1.0:User": ["k": 2, "same": true], "zzz": 2, "aaa": 1, "name": ["givenName": "x", "custom": 1]]
        #expect(AttributeDiff.changes(from: before, to: after, as: userType) == [
            AttributeChange(path: "name", before: nil, after: ["givenName": "x", "custom": 1]),
            AttributeChange(path: "urn:acme:1.0:User:k", before: 1, after: 2),
            AttributeChange(path: "zzz", before: 1, after: 2),
        ])
        let subs = AttributeDiff.changes(from: ["name": ["custom": 1]], to: ["name": ["custom": 2]], as: userType)
        #expect(subs == [AttributeChange(path: "name.custom", before: 1, after: 2)])
    }

    @Test func keysAreMatchedCaseInsensitively() {
        let changes = AttributeDiff.changes(from: ["USERNAME": "a"], to: ["userName": "a"], as: userType)
        #expect(changes.isEmpty)
    }

    @Test func changeDescription() {
        #expect(AttributeChange(path: "active", before: true, after: false).description == "active: true → false")
        #expect(AttributeChange(path: "title", before: nil, after: "T").description == #"title: ∅ → "T""#)
    }
}
