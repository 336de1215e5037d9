import Testing
@testable import SCIM

@Suite("JSON value")
struct JSONValueTests {
    @Test func accessorsReturnTypedPayloads() {
        let value: JSONValue = ["s": "x", "b": true, "i": 3, "d": 2.5, "a": [1], "o": ["k": nil]]
        #expect(value["s"]?.stringValue == "x")
        #expect(value["b"]?.boolValue == true)
        #expect(value["i"]?.intValue == 3)
        #expect(value["i"]?.doubleValue == 3)
        #expect(value["d"]?.doubleValue == 2.5)
        #expect(value["a"]?[0] == .int(1))
        #expect(value["a"]?[1] == nil)
        #expect(value["o"]?["k"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(value["s"]?.intValue == nil)
        #expect(JSONValue.string("x")["key"] == nil)
        #expect(value.objectValue?.count == 6)
        #expect(value["a"]?.arrayValue == [1])
    }

    @Test func subscriptSetterWritesObjectMembers() {
        var value: JSONValue = ["a": 1]
        value["b"] = "two"
        value["a"] = nil
        #expect(value == ["b": "two"])
        var notObject: JSONValue = 5
        notObject["x"] = 1
        #expect(notObject == 5)
    }

    @Test func attributeLookupIsCaseInsensitive() {
        let value: JSONValue = ["userName": "bjensen", "NAME": ["givenName": "B"]]
        #expect(value.value(forAttribute: "USERNAME") == "bjensen")
        #expect(value.value(forAttribute: "name")?["givenName"] == "B")
        #expect(value.key(matchingAttribute: "username") == "userName")
        #expect(value.key(matchingAttribute: "nope") == nil)
        var object = value.objectValue!
        object["Username"] = "dup"
        #expect(object.removeValue(forAttribute: "userName") != nil)
        #expect(object.keys.sorted() == ["NAME"])
    }

    @Test func unassignedFollowsRFC7643Section2_5() {
        #expect(JSONValue.null.isUnassigned)
        #expect(JSONValue.array([]).isUnassigned)
        #expect(JSONValue.object([:]).isUnassigned)
        #expect(JSONValue.object(["a": nil]).isUnassigned)
        #expect(!JSONValue.string("").isUnassigned)
        #expect(!JSONValue.bool(false).isUnassigned)
        #expect(!JSONValue.array([nil]).isUnassigned)
    }

    @Test func integersAndDecimalsAreDifferentValues() {
        #expect(JSONValue.int(1) != JSONValue.decimal(1.0))
        #expect(Set<JSONValue>([.int(1), .decimal(1.0), .string("1")]).count == 3)
        #expect(JSONValue.int(1).typeName == "integer")
        #expect(JSONValue.decimal(1).typeName == "decimal")
    }
}
