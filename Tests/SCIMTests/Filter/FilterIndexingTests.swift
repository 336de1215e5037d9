import Testing
@testable import SCIM

@Suite("Filter index hints")
struct FilterIndexingTests {
    @Test func requiredEqualitiesExposeIndexableTerms() throws {
        func terms(_ text: String, _ type: ResourceType = userType) throws -> [EqualityTerm] {
            try FilterParser.parse(text, for: type).requiredEqualities(for: type)
        }
        #expect(try terms(#"userName eq "X""#) == [EqualityTerm(path: "userName", value: "X", caseExact: false)])
        #expect(try terms(#"id eq "abc""#) == [EqualityTerm(path: "id", value: "abc", caseExact: true)])
        #expect(try terms(#"externalId eq "e1""#) == [EqualityTerm(path: "externalId", value: "e1", caseExact: true)])
        #expect(try terms(#"displayName eq "Eng""#, groupType) == [EqualityTerm(path: "displayName", value: "Eng", caseExact: false)])
        #expect(try terms(#"emails.value eq "a@x""#) == [EqualityTerm(path: "emails.value", value: "a@x", caseExact: false)])
        #expect(try terms(#"emails[type eq "work"].value eq "a@x""#) == [
            EqualityTerm(path: "emails.type", value: "work", caseExact: false),
            EqualityTerm(path: "emails.value", value: "a@x", caseExact: false),
        ])
        #expect(try terms(#"userName eq "u" and externalId eq "e""#).map(\.path) == ["userName", "externalId"])
        #expect(try terms(#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7""#).map(\.path) == ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"])
        #expect(try terms(#"userName eq "u" or externalId eq "e""#).isEmpty)
        #expect(try terms(#"not (userName eq "u")"#).isEmpty)
        #expect(try terms(#"userName ne "u""#).isEmpty)
        #expect(try terms(#"title eq null"#).isEmpty)
        #expect(try terms(#"userName sw "u""#).isEmpty)
        // Untyped: caseExact unknown.
        #expect(try FilterParser.parse(#"id eq "x""#, for: nil).requiredEqualities() == [EqualityTerm(path: "id", value: "x", caseExact: false)])
    }
}
