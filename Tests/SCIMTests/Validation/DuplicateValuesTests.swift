import Testing
@testable import SCIM

/// RFC 7643 §2.4: a multi-valued attribute holds no (type, value) pair twice — on POST,
/// PUT and PATCH.
@Suite("Duplicate values of multi-valued attributes")
struct DuplicateValuesTests {
    let validator = ResourceValidator()
    let engine = PatchEngine()

    func emails(_ list: String, existing: JSONValue? = nil) throws -> JSONValue? {
        try validator.validate(try json(#"{"userName":"bob","emails":\#(list)}"#), as: userType, existing: existing).resource["emails"]
    }

    @Test func identicalEmailsAreStoredOnce() throws {
        #expect(try emails(#"[{"value":"a@x","type":"work"},{"value":"a@x","type":"work"}]"#) == [["value": "a@x", "type": "work"]])
        // `value` compares as its caseExact says (emails: not case-exact); so does `type`.
        #expect(try emails(#"[{"value":"a@x","type":"work"},{"value":"A@X","type":"Work"}]"#) == [["value": "a@x", "type": "work"]])
    }

    @Test func theFirstIsKeptWithPrimaryAndDisplayFromTheOthers() throws {
        #expect(try emails(#"[{"value":"a@x","type":"work"},{"value":"a@x","type":"work","primary":true,"display":"A"}]"#)
            == [["value": "a@x", "type": "work", "primary": true, "display": "A"]])
        #expect(try emails(#"[{"value":"a@x","display":"first"},{"value":"a@x","display":"second"}]"#) == [["value": "a@x", "display": "first"]])
        // Two copies both primary are one primary value, not two.
        #expect(try emails(#"[{"value":"a@x","primary":true},{"value":"a@x","primary":"True"}]"#) == [["value": "a@x", "primary": true]])
    }

    @Test func differentPairsAreAllKept() throws {
        let list = #"[{"value":"a@x","type":"work"},{"value":"a@x","type":"home"},{"value":"a@x"},{"value":"b@x","type":"work"}]"#
        #expect(try emails(list)?.arrayValue?.count == 4)
    }

    @Test func replaceDeduplicatesToo() throws {
        var existing = try validator.validate(["userName": "bob"], as: userType).resource
        existing["id"] = "u1"
        #expect(try emails(#"[{"value":"a@x"},{"value":"a@x"}]"#, existing: existing) == [["value": "a@x"]])
    }

    @Test func patchAddAndReplaceStoreEachValueOnce() throws {
        var user = try validator.validate(try json(#"{"userName":"bob","emails":[{"value":"a@x","type":"work"}]}"#), as: userType).resource
        user["id"] = "u1"
        func patched(_ operations: String) throws -> JSONValue? {
            try engine.apply(PatchRequest(json: try json(#"{"Operations":\#(operations)}"#)), to: user, as: userType).resource["emails"]
        }
        // Adding a value that is there updates it in place (its spelling, `primary`,
        // `display`), as before; it is never a second value.
        #expect(try patched(#"[{"op":"add","path":"emails","value":[{"value":"A@x","type":"work","display":"A"}]}]"#) == [["value": "A@x", "type": "work", "display": "A"]])
        #expect(try patched(#"[{"op":"replace","path":"emails","value":[{"value":"b@x"},{"value":"b@x","primary":true}]}]"#) == [["value": "b@x", "primary": true]])
        #expect(try patched(#"[{"op":"replace","value":{"emails":[{"value":"b@x","type":"home"},{"value":"B@X","type":"home"}]}}]"#) == [["value": "b@x", "type": "home"]])
        #expect(try patched(#"[{"op":"add","path":"emails[type eq \"home\"].value","value":"a@x"},{"op":"add","path":"emails","value":{"value":"a@x","type":"home"}}]"#)
            == [["value": "a@x", "type": "work"], ["type": "home", "value": "a@x"]])
    }

    @Test func simpleValuesAndCaseExactValues() throws {
        let registry = try CustomExtension.registry()
        let user = try #require(registry.user)
        let urn = CustomExtension.urn
        let resource = try ResourceValidator(registry: registry).validate(try json(#"{"userName":"bob","\#(urn)":{"skills":["swift","Swift","go","swift"]}}"#), as: user).resource
        #expect(resource[.init(urn)]?["skills"] == ["swift", "go"])
        var schema = SchemaRegistry.standard
        try schema.addExtension(try Schema(json: try json(#"{"id":"urn:x:codes","attributes":[{"name":"codes","type":"string","multiValued":true,"caseExact":true}]}"#)), to: "User")
        let exact = try ResourceValidator(registry: schema).validate(try json(#"{"userName":"bob","urn:x:codes":{"codes":["Ab","ab","Ab"]}}"#), as: schema.user!).resource
        #expect(exact["urn:x:codes"]?["codes"] == ["Ab", "ab"])
    }

    @Test func longListsAreDeduplicatedToo() throws {
        // Past the in-place search, a hash table finds the duplicates: same result.
        let values = (0..<40).map { #"{"value":"r\#($0 % 25)","type":"\#($0 < 25 ? "x" : "X")"}"# }
        let resource = try validator.validate(try json(#"{"userName":"bob","roles":[\#(values.joined(separator: ","))]}"#), as: userType).resource
        let roles = try #require(resource["roles"]?.arrayValue)
        #expect(roles.count == 25)
        #expect(roles.map { $0["value"]?.stringValue ?? "" } == (0..<25).map { "r\($0)" })
        #expect(roles.allSatisfy { $0["type"] == "x" }, "the first spelling is kept")
    }

    @Test func membersStillDeduplicateByValueAlone() throws {
        let group = try validator.validate(try json(#"{"displayName":"G","members":[{"value":"u1","type":"User"},{"value":"u1","display":"One"}]}"#), as: groupType).resource
        #expect(group["members"] == [["value": "u1", "type": "User"]])
    }
}
