import Testing
@testable import SCIM

@Suite("xsd:dateTime")
struct SCIMDateTimeTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0), Int32(0)),
        ("2011-05-13T04:42:34Z", 1_305_261_754, 0),
        ("2011-05-13T06:42:34+02:00", 1_305_261_754, 0),
        ("2011-05-12T23:42:34-05:00", 1_305_261_754, 0),
        ("2011-05-13T04:42:34", 1_305_261_754, 0),
        ("2011-05-13T04:42:34.5Z", 1_305_261_754, 500_000_000),
        ("2011-05-13t04:42:34.123456789z", 1_305_261_754, 123_456_789),
        ("2000-02-29T00:00:00Z", 951_782_400, 0),
        ("1969-12-31T23:59:59Z", -1, 0),
        ("2015-06-30T23:59:60Z", 1_435_708_799, 0),
        ("2024-01-01T24:00:00Z", 1_704_153_600, 0),
    ])
    func parses(text: String, seconds: Int64, nanos: Int32) throws {
        let parsed = try #require(SCIMDateTime(parsing: text))
        #expect(parsed.secondsSince1970 == seconds && parsed.nanoseconds == nanos, "\(text)")
    }

    @Test(arguments: [
        "", "2011-05-13", "2011-05-13T04:42", "2011-13-01T00:00:00Z", "2011-02-29T00:00:00Z", "2011-04-31T00:00:00Z",
        "2011-05-13T25:00:00Z", "2011-05-13T04:60:00Z", "2011-05-13T04:42:34.Z", "2011-05-13T04:42:34+2:00",
        "2011-05-13T04:42:34Zjunk", "2011-05-13 04:42:34Z", "yesterday", "2024-01-01T24:00:01Z",
    ])
    func refuses(text: String) {
        #expect(SCIMDateTime(parsing: text) == nil, "\(text)")
    }

    @Test func ordersByInstant() throws {
        let a = try #require(SCIMDateTime(parsing: "2011-05-13T06:42:34+02:00"))
        let b = try #require(SCIMDateTime(parsing: "2011-05-13T04:42:34.001Z"))
        #expect(a < b)
        #expect(a == SCIMDateTime(parsing: "2011-05-13T04:42:34Z"))
    }

    @Test func formatsAsUTC() throws {
        #expect(SCIMDateTime(secondsSince1970: 0).description == "1970-01-01T00:00:00Z")
        #expect(SCIMDateTime(secondsSince1970: 1_305_261_754, nanoseconds: 250_000_000).description == "2011-05-13T04:42:34.250Z")
        #expect(SCIMDateTime(secondsSince1970: -1).description == "1969-12-31T23:59:59Z")
        #expect(SCIMDateTime(timeIntervalSince1970: 951_782_400.5).description == "2000-02-29T00:00:00.500Z")
        for seconds in stride(from: Int64(-5_000_000_000), through: 5_000_000_000, by: 123_456_789) {
            let value = SCIMDateTime(secondsSince1970: seconds)
            #expect(SCIMDateTime(parsing: value.description) == value)
        }
    }
}
