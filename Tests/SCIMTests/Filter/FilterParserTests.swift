import Foundation
import Testing
@testable import SCIM

@Suite("Filter parser")
struct FilterParserTests {
    func path(_ attribute: String, _ sub: String? = nil, schema: String? = nil) -> AttributePath {
        AttributePath(schema: schema, attribute: attribute, subAttribute: sub)
    }

    @Test func everyRFC7644ExampleParses() throws {
        let filters = try Fixture.strings("rfc7644/filters.json")
        #expect(filters.count == 17)
        for text in filters {
            let typed = try FilterParser.parse(text, for: userType)
            let untyped = try FilterParser.parse(text, for: nil)
            // Printing and re-parsing gives the same tree.
            #expect(try FilterParser.parse(typed.description, for: userType) == typed, "\(text)")
            #expect(try FilterParser.parse(untyped.description, for: nil) == untyped, "\(text)")
        }
    }

    @Test func rfcExampleTrees() throws {
        #expect(try FilterParser.parse(#"userName eq "bjensen""#, for: userType) == .compare(path("userName"), .eq, "bjensen"))
        #expect(try FilterParser.parse(#"name.familyName co "O'Malley""#, for: userType) == .compare(path("name", "familyName"), .co, "O'Malley"))
        #expect(try FilterParser.parse(#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#, for: userType) == .compare(path("userName"), .sw, "J"))
        #expect(try FilterParser.parse("title pr", for: userType) == .present(path("title")))
        #expect(try FilterParser.parse(#"title pr and userType eq "Employee""#, for: userType) == .and(.present(path("title")), .compare(path("userType"), .eq, "Employee")))
        #expect(try FilterParser.parse(#"title pr or userType eq "Intern""#, for: userType) == .or(.present(path("title")), .compare(path("userType"), .eq, "Intern")))
        #expect(try FilterParser.parse(#"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#, for: userType)
            == .and(.compare(path("userType"), .ne, "Employee"), .not(.or(.compare(path("emails"), .co, "example.com"), .compare(path("emails", "value"), .co, "example.org")))))
        #expect(try FilterParser.parse(#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#, for: userType)
            == .and(.compare(path("userType"), .eq, "Employee"), .valuePath(path("emails"), .and(.compare(path("type"), .eq, "work"), .compare(path("value"), .co, "@example.com")))))
        #expect(try FilterParser.parse(#"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#, for: userType)
            == .or(.valuePath(path("emails"), .and(.compare(path("type"), .eq, "work"), .compare(path("value"), .co, "@example.com"))),
                   .valuePath(path("ims"), .and(.compare(path("type"), .eq, "xmpp"), .compare(path("value"), .co, "@foo.com")))))
    }

    @Test func precedenceIsNotThenAndThenOr() throws {
        let filter = try FilterParser.parse(#"a eq 1 or b eq 2 and c eq 3 or not (d eq 4) and e pr"#, for: nil)
        let a = Filter.compare(path("a"), .eq, 1), b = Filter.compare(path("b"), .eq, 2), c = Filter.compare(path("c"), .eq, 3)
        let d = Filter.compare(path("d"), .eq, 4), e = Filter.present(path("e"))
        #expect(filter == .or(.or(a, .and(b, c)), .and(.not(d), e)))
        #expect(filter.description == #"a eq 1 or b eq 2 and c eq 3 or not (d eq 4) and e pr"#)
        let grouped = try FilterParser.parse(#"(a eq 1 or b eq 2) and c eq 3"#, for: nil)
        #expect(grouped == .and(.or(a, b), c))
        #expect(grouped.description == "(a eq 1 or b eq 2) and c eq 3")
    }

    @Test func operatorsKeywordsAndNamesAreCaseInsensitive() throws {
        let filter = try FilterParser.parse(#"USERNAME EQ "X" AND NOT(Active Eq TRUE) Or Title PR"#, for: userType)
        #expect(filter == .or(.and(.compare(path("userName"), .eq, "X"), .not(.compare(path("active"), .eq, true))), .present(path("title"))))
    }

    @Test func allComparisonOperators() throws {
        for op in ComparisonOperator.allCases {
            let filter = try FilterParser.parse(#"displayName \#(op.rawValue) "x""#, for: userType)
            #expect(filter == .compare(path("displayName"), op, "x"))
        }
    }

    @Test func literals() throws {
        #expect(try FilterParser.parse("a eq true", for: nil) == .compare(path("a"), .eq, true))
        #expect(try FilterParser.parse("a eq false", for: nil) == .compare(path("a"), .eq, false))
        #expect(try FilterParser.parse("a eq null", for: nil) == .compare(path("a"), .eq, nil))
        #expect(try FilterParser.parse("a gt -1.5e2", for: nil) == .compare(path("a"), .gt, .decimal(-150)))
        #expect(try FilterParser.parse("a lt 42", for: nil) == .compare(path("a"), .lt, 42))
        #expect(try FilterParser.parse(#"a eq "quote \" and \u00e9""#, for: nil) == .compare(path("a"), .eq, "quote \" and é"))
        #expect(try FilterParser.parse(#"a eq "with (parens) [brackets] and or""#, for: nil) == .compare(path("a"), .eq, "with (parens) [brackets] and or"))
    }

    @Test func unquotedValuesAreStringsWhenUnambiguous() throws {
        #expect(try FilterParser.parse("externalId eq jyoung", for: userType) == .compare(path("externalId"), .eq, "jyoung"))
        #expect(try FilterParser.parse("userName eq bjensen@example.com and active eq true", for: userType)
            == .and(.compare(path("userName"), .eq, "bjensen@example.com"), .compare(path("active"), .eq, true)))
        // A number for a string attribute is compared as its text.
        #expect(try FilterParser.parse("externalId eq 007", for: userType) == .compare(path("externalId"), .eq, "007"))
        #expect(try FilterParser.parse("externalId eq 12345", for: userType) == .compare(path("externalId"), .eq, "12345"))
        #expect(try FilterParser.parse("externalId eq 1.50", for: userType) == .compare(path("externalId"), .eq, "1.50"))
        // Keywords cannot be bare values.
        for keyword in ["and", "or", "not", "pr", "eq", "le"] {
            expectSCIMError(.invalidFilter) { _ = try FilterParser.parse("externalId eq \(keyword)", for: userType) }
        }
    }

    /// Every filter an IdP sends (its fixture) and the tree it parses to, in the order of
    /// the fixture: a filter added to the fixture fails here until it is given its tree.
    func expectTrees(_ fixture: String, _ expected: [(ResourceType, Filter)], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let filters = try Fixture.strings(fixture)
        #expect(filters.count == expected.count, "\(fixture) has \(filters.count) filters", sourceLocation: sourceLocation)
        for (text, (type, tree)) in zip(filters, expected) {
            #expect(try FilterParser.parse(text, for: type) == tree, "\(text)", sourceLocation: sourceLocation)
        }
    }

    @Test func entraFilters() throws {
        try expectTrees("entra/filters.json", [
            (userType, .compare(path("userName"), .eq, "Test_User_dfeef4c5-5681-4387-b016-bdf221e82081")),
            (userType, .compare(path("externalId"), .eq, "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef")),
            (userType, .valuePath(path("emails"), .and(.compare(path("type"), .eq, "work"), .compare(path("value"), .eq, "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com")))),
            (userType, .and(.compare(path("userName"), .eq, "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1"), .compare(path("externalId"), .eq, "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"))),
            (userType, .compare(path("externalId"), .eq, "jyoung")),
            (groupType, .compare(path("displayName"), .eq, "displayName")),
        ])
        let email = try FilterParser.parse(#"emails[type eq "work"].value eq "a@b.c""#, for: userType)
        #expect(email == .valuePath(path("emails"), .and(.compare(path("type"), .eq, "work"), .compare(path("value"), .eq, "a@b.c"))))
        let present = try FilterParser.parse(#"emails[type eq "work"].value pr"#, for: userType)
        #expect(present == .valuePath(path("emails"), .and(.compare(path("type"), .eq, "work"), .present(path("value")))))
    }

    /// Okta's existence checks: the user name as typed (values keep their case; matching
    /// ignores it, see FilterEvaluatorTests), and a group by display name.
    @Test func oktaFilters() throws {
        try expectTrees("okta/filters.json", [
            (userType, .compare(path("userName"), .eq, "x@y.com")),
            (userType, .compare(path("userName"), .eq, "TEST.USER@OKTA.LOCAL")),
            (groupType, .compare(path("displayName"), .eq, "Eng")),
        ])
    }

    @Test func valuesAreCoercedToTheAttributeType() throws {
        #expect(try FilterParser.parse(#"active eq "True""#, for: userType) == .compare(path("active"), .eq, true))
        #expect(try FilterParser.parse(#"emails.primary eq "false""#, for: userType) == .compare(path("emails", "primary"), .eq, false))
        #expect(try FilterParser.parse(#"meta.created gt "2011-05-13T04:42:34Z""#, for: userType) == .compare(path("meta", "created"), .gt, "2011-05-13T04:42:34Z"))
        var registry = SchemaRegistry.standard
        try registry.loadExtensions(from: Fixture.bytes("okta/acme-extension-schema.json"), to: "User")
        let acme = "urn:ietf:params:scim:schemas:extension:acme:2.0:User"
        #expect(try FilterParser.parse("\(acme):badgeNumber ge 10.0", for: registry.user!) == .compare(path("badgeNumber", schema: acme), .ge, 10))
        expectSCIMError(.invalidFilter) { _ = try FilterParser.parse("\(acme):badgeNumber ge 10.5", for: registry.user!) }
        expectSCIMError(.invalidFilter) { _ = try FilterParser.parse("\(acme):badgeNumber co 1", for: registry.user!) }
        expectSCIMError(.invalidFilter) { _ = try FilterParser.parse(#"\#(acme):badgeNumber eq "x""#, for: registry.user!) }
    }

    @Test func unknownExtensionAttributesAreUntyped() throws {
        let filter = try FilterParser.parse(#"urn:acme:ext:1.0:User:shoeSize gt 40"#, for: userType)
        #expect(filter == .compare(path("shoeSize", schema: "urn:acme:ext:1.0:User"), .gt, 40))
    }

    @Test(arguments: [
        ("", "empty filter"),
        ("   ", "empty filter"),
        ("userName", "expected an operator"),
        ("userName eq", "expected a value"),
        (#"userName xx "a""#, "unknown operator"),
        (#"userName eq "a" and"#, "expected an attribute name"),
        (#"userName eq "a" extra"#, "unexpected 'extra'"),
        (#"(userName eq "a""#, "expected ')'"),
        (#"userName eq "a")"#, "unexpected ')'"),
        (#"not userName eq "a""#, "expected '(' after 'not'"),
        (#"emails[type eq "work""#, "expected ']'"),
        (#"emails[type eq "work"]]"#, "unexpected ']'"),
        (#"emails[emails[type eq "a"]]"#, "cannot be nested"),
        (#"emails[urn:x:y eq "a"]"#, "only sub-attribute names"),
        (#"emails[type.x eq "a"]"#, "only sub-attribute names"),
        (#"emails.value[type eq "a"]"#, "not its sub-attribute"),
        (#"userName eq "unterminated"#, "invalid string"),
        (#"userName eq "bad \q escape""#, "invalid string"),
        (#"9lives eq "a""#, "invalid attribute path"),
        (#"userName eq ("a")"#, "expected a value"),
        (#"and eq "a""#, "expected an attribute name"),
        (#"userName gt null"#, "only eq and ne"),
        (#"a eq true and b co true"#, "cannot compare booleans"),
        (#"a co 5"#, "needs a string"),
    ])
    func malformedFiltersAreInvalidFilterWithAPosition(text: String, message: String) {
        let error = expectSCIMError(.invalidFilter) { _ = try FilterParser.parse(text, for: nil) }
        #expect(error?.detail.contains(message) == true, "\(text): \(error?.detail ?? "")")
        if !text.trimmingCharacters(in: .whitespaces).isEmpty {
            #expect(error?.detail.contains("position") == true, "\(text): \(error?.detail ?? "")")
        }
    }

    @Test(arguments: [
        (#"nickname2 eq "a""#, "no attribute"),
        (#"name.nope eq "a""#, "no sub-attribute"),
        (#"userName.x eq "a""#, "no sub-attributes"),
        (#"emails[nope eq "a"]"#, "no sub-attribute"),
        (#"userName[value eq "a"]"#, "not complex"),
        (#"emails[type eq "work"].nope eq "a""#, "no sub-attribute"),
        (#"name eq "a""#, "is complex"),
        (#"active gt true"#, "not defined for boolean"),
        (#"active eq "yes""#, "is a boolean"),
        (#"active co "t""#, "not defined for boolean"),
        (#"userName eq true"#, "is a string"),
        (#"x509Certificates.value gt "a""#, "not defined for binary"),
        (#"meta.lastModified gt "yesterday""#, "not a valid dateTime"),
        (#"meta.lastModified gt 5"#, "is a dateTime"),
        (#"urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "a""#, "does not apply"),
        (#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User eq "a""#, "names a schema"),
        (#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:nope eq "a""#, "no attribute"),
    ])
    func typeErrorsAreInvalidFilter(text: String, message: String) {
        let error = expectSCIMError(.invalidFilter) { _ = try FilterParser.parse(text, for: userType) }
        #expect(error?.detail.contains(message) == true, "\(text): \(error?.detail ?? "")")
    }

    @Test func boundedLengthAndDepth() throws {
        let long = #"userName eq ""# + String(repeating: "x", count: 4100) + #"""#
        let error = expectSCIMError(.invalidFilter) { _ = try FilterParser.parse(long, for: userType) }
        #expect(error?.detail.contains("4096") == true)
        let deep64 = String(repeating: "(", count: 64) + #"userName eq "a""# + String(repeating: ")", count: 64)
        #expect((try? FilterParser.parse(deep64, for: userType)) != nil)
        let deep65 = String(repeating: "(", count: 65) + #"userName eq "a""# + String(repeating: ")", count: 65)
        let deepError = expectSCIMError(.invalidFilter) { _ = try FilterParser.parse(deep65, for: userType) }
        #expect(deepError?.detail.contains("deeper than 64") == true)
        let nots = String(repeating: "not (", count: 65) + "title pr" + String(repeating: ")", count: 65)
        expectSCIMError(.invalidFilter) { _ = try FilterParser.parse(nots, for: userType) }
        let unbalanced = String(repeating: "(", count: 2000)
        expectSCIMError(.invalidFilter) { _ = try FilterParser.parse(unbalanced, for: nil) }
        // A long flat chain is fine (parsed iteratively).
        let chain = (0..<300).map { _ in "title pr" }.joined(separator: " and ")
        #expect(try FilterParser.parse(chain, for: userType).conjuncts.count == 300)
    }

    @Test func conjunctsAndDisjuncts() throws {
        let filter = try FilterParser.parse("a pr and b pr and c pr", for: nil)
        #expect(filter.conjuncts.count == 3)
        #expect(filter.disjuncts.count == 1)
        #expect(try FilterParser.parse("a pr or b pr or c pr", for: nil).disjuncts.count == 3)
    }

    /// Found by the filter fuzzer: a bare value full of control characters parsed, and
    /// printed back longer than a filter may be.
    @Test func controlCharactersOutsideStringsAreRefused() {
        for text in ["externalId eq jy\u{8}", "userName\u{0} eq \"x\"", "userName eq\u{1B}x", "title pr\u{7F}"] {
            let error = expectSCIMError(.invalidFilter) { _ = try FilterParser.parse(text, for: userType) }
            #expect(error?.detail.contains("control character") == true)
        }
        // Inside a quoted string, escaped control characters are fine.
        #expect((try? FilterParser.parse(#"externalId eq "a\u0008b""#, for: userType)) != nil)
    }
}
