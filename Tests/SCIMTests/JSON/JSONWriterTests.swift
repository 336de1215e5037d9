import Foundation
import Testing
@testable import SCIM

@Suite("JSON writer")
struct JSONWriterTests {
    @Test func canonicalFormIsSortedIndentedAndEndsWithANewline() throws {
        let value = try json(#"{"userName":"bjensen","active":true,"name":{"givenName":"Barbara","familyName":"Jensen"},"emails":[{"value":"a@x","primary":true}],"groups":[],"meta":{}}"#)
        let expected = """
            {
              "active": true,
              "emails": [
                {
                  "primary": true,
                  "value": "a@x"
                }
              ],
              "groups": [],
              "meta": {},
              "name": {
                "familyName": "Jensen",
                "givenName": "Barbara"
              },
              "userName": "bjensen"
            }

            """
        #expect(value.serializedString(.canonical) == expected)
    }

    @Test func compactFormHasNoWhitespace() throws {
        let value = try json(#"{ "b" : [ 1 , 2 ] , "a" : { "c" : null } }"#)
        #expect(value.serializedString(.compact) == #"{"a":{"c":null},"b":[1,2]}"#)
        #expect(value.description == #"{"a":{"c":null},"b":[1,2]}"#)
    }

    @Test func keysAreSortedByUTF8Bytes() throws {
        let value: JSONValue = ["b": 1, "B": 2, "a": 3, "é": 4, "Z": 5, "$ref": 6, "urn:x": 7]
        #expect(value.serializedString(.compact) == #"{"$ref":6,"B":2,"Z":5,"a":3,"b":1,"urn:x":7,"é":4}"#)
    }

    @Test func numbersKeepTheirKind() {
        #expect(JSONValue.int(1).serializedString() == "1")
        #expect(JSONValue.decimal(1.0).serializedString() == "1.0")
        #expect(JSONValue.decimal(-0.5).serializedString() == "-0.5")
        #expect(JSONValue.int(0).serializedString() == "0")
        #expect(JSONValue.int(-42).serializedString() == "-42")
        #expect(JSONValue.int(Int64.min).serializedString() == "-9223372036854775808")
        #expect(JSONValue.int(Int64.max).serializedString() == "9223372036854775807")
        #expect(JSONValue.decimal(.infinity).serializedString() == "null")
        #expect(JSONValue.decimal(.nan).serializedString() == "null")
    }

    @Test(arguments: ["1.0", "0.1", "1e+20", "1.5e-07", "-0.0", "123456.789", "5e-324", "1.7976931348623157e+308"])
    func decimalsRoundTripAsDecimals(text: String) throws {
        let value = try json(text)
        guard case .decimal(let d) = value else {
            Issue.record("\(text) parsed as \(value)")
            return
        }
        let written = value.serializedString()
        #expect(try json(written) == .decimal(d), "\(text) → \(written)")
        #expect(written.contains(".") || written.contains("e"))
    }

    @Test func escapesStrings() {
        let value = JSONValue.string("quote\" backslash\\ slash/ newline\n tab\t cr\r bell\u{07} nul\u{00} del\u{7F} é 😀")
        #expect(value.serializedString() == #""quote\" backslash\\ slash/ newline\n tab\t cr\r bell\u0007 nul\u0000 del\#u{7F} é 😀""#)
        #expect(JSONValue.string("\u{08}\u{0C}\u{1F}").serializedString() == #""\b\f\u001f""#)
    }

    @Test func roundTripsAnyParsedDocument() throws {
        for name in ["rfc7644/user-enterprise.json", "okta/create-user-extensions.json", "rfc7644/group.json"] {
            let value = try Fixture.json(name)
            #expect(try JSONValue.parse(value.serialized(.canonical)) == value)
            #expect(try JSONValue.parse(value.serialized(.compact)) == value)
            #expect(try JSONValue.parse(value.serialized(.canonical)).serialized(.canonical) == value.serialized(.canonical))
        }
    }

    /// Parsing and writing do work linear in the document: 8× the users are 8× the tokens
    /// read and 8× the key comparisons (members are sorted within each object, never across
    /// the array). Counted, not timed: a count is the same on a loaded machine.
    @Test func parseAndSerializeDoLinearWork() throws {
        func document(_ users: Int) -> [UInt8] {
            var text = "["
            for i in 0..<users {
                if i > 0 { text += "," }
                text += #"{"id":"\#(i)","userName":"user\#(i)@example.com","name":{"givenName":"Given \#(i)","familyName":"Family"},"emails":[{"value":"user\#(i)@example.com","type":"work","primary":true}],"active":true,"score":\#(i).5}"#
            }
            return Array((text + "]").utf8)
        }
        func work(_ users: Int) throws -> (tokens: Int, comparisons: Int) {
            let bytes = document(users)
            var tokens = CountedWork()
            let value = try bytes.withUnsafeBufferPointer { buffer throws(SCIMError) in
                var parser = JSONParser(bytes: buffer, maxDepth: JSONValue.defaultMaxDepth)
                return try parser.parseDocument(counting: &tokens)
            }
            #expect(value == (try JSONValue.parse(bytes)), "counting changes no answer")
            #expect(value.serialized(.compact).count == bytes.count)
            var writer = JSONWriter(style: .canonical, counting: CountedWork())
            writer.write(value)
            #expect(writer.output + [UInt8(ascii: "\n")] == value.serialized(.canonical))
            return (tokens.count, writer.work.count)
        }
        for users in [1_000, 8_000] {
            let counted = try work(users)
            // The array, then per user 13 values and 11 keys.
            #expect(counted.tokens == 1 + users * 24, "\(users) users: \(counted)")
            // Sorting a user's objects of 6, 2 and 3 members takes 5 + 1 + 2 comparisons at
            // least and 15 + 1 + 3 at most, in whatever order the dictionaries give them.
            #expect((users * 8...users * 19).contains(counted.comparisons), "\(users) users: \(counted)")
        }
    }
}
