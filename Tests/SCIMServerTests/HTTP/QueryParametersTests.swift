import SCIM
import Testing
@testable import SCIMServer

@Suite struct QueryParametersTests {
    @Test func plusIsASpaceAndEscapesAreUTF8() throws {
        let query = try QueryParameters("filter=userName+eq+%22J%C3%BCrgen%22&count=5&flag")
        #expect(query["filter"] == "userName eq \"Jürgen\"")
        #expect(query["COUNT"] == "5")
        #expect(query["flag"] == "")
        #expect(query["missing"] == nil)
    }

    @Test func anEncodedPlusStaysAPlus() throws {
        #expect(try QueryParameters("filter=emails.value%20eq%20%22a%2Bb%40x.com%22")["filter"] == "emails.value eq \"a+b@x.com\"")
    }

    @Test func theFirstOfRepeatedNamesWins() throws {
        let query = try QueryParameters("count=1&count=2")
        #expect(query["count"] == "1")
        #expect(query.dictionary == ["count": "1"])
    }

    @Test func malformedEscapesAreRefused() {
        #expect(throws: SCIMError.self) { try QueryParameters("count=%4") }
        #expect(throws: SCIMError.self) { try QueryParameters("attributes=%FF") }
        #expect { try QueryParameters("filter=%zz") } throws: { ($0 as? SCIMError)?.scimType == .invalidFilter }
    }

    @Test func pathSegmentsKeepPlus() {
        #expect(PercentDecoding.decode("a+b%20c", plusAsSpace: false) == "a+b c")
    }
}
