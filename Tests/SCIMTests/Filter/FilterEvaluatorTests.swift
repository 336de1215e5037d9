import Foundation
import Testing
@testable import SCIM

@Suite("Filter evaluation")
struct FilterEvaluatorTests {
    let bjensen: JSONValue
    let enterprise: JSONValue

    init() throws {
        bjensen = try ResourceValidator().canonicalizeStored(Fixture.json("rfc7644/user-full.json"), as: userType)
        enterprise = try ResourceValidator().canonicalizeStored(Fixture.json("rfc7644/user-enterprise.json"), as: userType)
    }

    func matches(_ text: String, _ resource: JSONValue, _ type: ResourceType? = userType) throws -> Bool {
        let filter = try FilterParser.parse(text, for: type)
        let typed = FilterMatcher(filter, for: type).matches(resource)
        #expect(filter.matches(resource, as: type) == typed)
        return typed
    }

    /// `é` precomposed (NFC) and as `e` + combining accent (NFD) are one name.
    @Test func nfcAndNfdSpellingsOfOneNameMatch() throws {
        let nfc = "Jos\u{E9}@Example.com", nfd = "Jose\u{301}@example.com"
        let user: JSONValue = ["userName": .string(nfd), "externalId": .string(nfd), "name": ["familyName": .string("Mu\u{308}ller")]]
        #expect(try matches("userName eq \"\(nfc)\"", user))
        #expect(try matches("userName sw \"jos\u{E9}\"", user))
        #expect(try matches("name.familyName co \"\u{FC}LL\"", user))
        #expect(try matches("externalId eq \"Jos\u{E9}@example.com\"", user), "caseExact values are normalized too")
        #expect(try !matches("userName eq \"jose@example.com\"", user), "but an accent is not nothing")
    }

    @Test func rfcExamplesAgainstBarbaraJensen() throws {
        let expectations: [(String, Bool)] = [
            (#"userName eq "bjensen""#, false),
            (#"userName eq "BJENSEN@EXAMPLE.COM""#, true),
            (#"name.familyName co "O'Malley""#, false),
            (#"name.familyName co "ENS""#, true),
            (#"userName sw "J""#, false),
            (#"userName sw "B""#, true),
            (#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "b""#, true),
            ("title pr", true),
            ("nickName pr", true),
            ("meta.lastModified gt \"2011-05-13T04:42:34Z\"", false),
            ("meta.lastModified ge \"2011-05-13T04:42:34Z\"", true),
            ("meta.lastModified lt \"2011-05-13T04:42:34Z\"", false),
            ("meta.lastModified le \"2011-05-13T04:42:34Z\"", true),
            ("meta.lastModified gt \"2011-05-13T04:42:33.999Z\"", true),
            ("meta.lastModified eq \"2011-05-13T06:42:34+02:00\"", true),
            (#"title pr and userType eq "Employee""#, true),
            (#"title pr and userType eq "Intern""#, false),
            (#"title pr or userType eq "Intern""#, true),
            (#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#, false),
            (#"schemas eq "urn:ietf:params:scim:schemas:core:2.0:User""#, true),
            (#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#, true),
            (#"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#, false),
            (#"userType eq "Employee" and (emails.type eq "work")"#, true),
            (#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#, true),
            (#"emails[type eq "home" and value co "@example.com"]"#, false),
            (#"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#, true),
            (#"ims[type eq "xmpp"]"#, false),
            (#"ims[type eq "aim"]"#, true),
        ]
        for (text, expected) in expectations {
            #expect(try matches(text, bjensen) == expected, "\(text)")
        }
        #expect(try matches(#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#, enterprise))
    }

    @Test func caseSensitivityFollowsCaseExact() throws {
        #expect(try matches(#"id eq "2819C223-7F76-453A-919D-413861904646""#, bjensen) == false, "id is caseExact")
        #expect(try matches(#"id eq "2819c223-7f76-453a-919d-413861904646""#, bjensen))
        #expect(try matches(#"externalId eq "701984""#, bjensen))
        #expect(try matches(#"displayName eq "babs jensen""#, bjensen))
        #expect(try matches(#"emails.value eq "BJensen@Example.com""#, bjensen))
        let okta = try ResourceValidator().validate(Fixture.json("okta/create-user.json"), as: userType).resource
        #expect(try matches(#"userName eq "TEST.USER@OKTA.LOCAL""#, okta), "Okta's upper-cased userName filter must match")
        #expect(try matches(#"externalId eq "00UJL29U0LE5T6AJ10H7""#, okta) == false)
    }

    @Test func nonASCIIStringsFoldToo() throws {
        let user: JSONValue = ["userName": "ÉMILE@exemple.fr", "displayName": "Zoë Straße"]
        #expect(try matches(#"userName eq "émile@EXEMPLE.fr""#, user))
        #expect(try matches(#"displayName co "ZOË""#, user))
        #expect(try matches(#"displayName ew "straße""#, user))
        #expect(try matches(#"displayName sw "zo""#, user))
    }

    @Test func operatorsOnStrings() throws {
        let user: JSONValue = ["userName": "mike", "title": ""]
        #expect(try matches(#"userName gt "Alice""#, user))
        #expect(try matches(#"userName lt "MIKEY""#, user))
        #expect(try matches(#"userName ge "MIKE""#, user))
        #expect(try matches(#"userName le "mike""#, user))
        #expect(try matches(#"userName gt "mike""#, user) == false)
        #expect(try matches(#"userName co """#, user))
        #expect(try matches(#"userName ew "KE""#, user))
        #expect(try matches("title pr", user) == false, "an empty string is not present")
        #expect(try matches(#"title eq """#, user))
    }

    @Test func neAndNullSemantics() throws {
        let user: JSONValue = ["userName": "a", "emails": [["value": "x@y", "type": "work"], ["value": "z@y", "type": "home"]]]
        #expect(try matches(#"title ne "boss""#, user), "absent attribute: ne matches")
        #expect(try matches("title eq null", user))
        #expect(try matches("title ne null", user) == false)
        #expect(try matches("userName ne null", user))
        #expect(try matches("userName eq null", user) == false)
        #expect(try matches(#"emails.type ne "work""#, user) == false, "ne is not(eq): one email is work")
        #expect(try matches(#"emails.type ne "other""#, user))
        #expect(try matches(#"emails[type ne "work"]"#, user), "inside a value path, per element")
    }

    @Test func booleansAndNumbers() throws {
        let user: JSONValue = ["userName": "a", "active": false, "urn:acme:1.0:User": ["level": 3, "ratio": 0.5]]
        #expect(try matches("active eq false", user))
        #expect(try matches(#"active eq "False""#, user))
        #expect(try matches("active ne true", user))
        #expect(try matches("active eq true", user) == false)
        #expect(try matches("urn:acme:1.0:User:level gt 2", user))
        #expect(try matches("urn:acme:1.0:User:level eq 3.0", user))
        #expect(try matches("urn:acme:1.0:User:level lt 3", user) == false)
        #expect(try matches("urn:acme:1.0:User:ratio le 0.5", user))
        #expect(try matches("urn:acme:1.0:User:ratio ge 1", user) == false)
        #expect(try matches(#"urn:acme:1.0:User:level eq "3""#, user) == false, "untyped: different JSON types never match")
    }

    @Test func extensionAttributes() throws {
        #expect(try matches(#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "tour operations""#, enterprise))
        #expect(try matches(#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d""#, enterprise))
        #expect(try matches(#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager eq "26118915-6090-4610-87e4-49d8ca9f808d""#, enterprise), "complex compares its value")
        #expect(try matches(#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department pr"#, bjensen) == false)
    }

    @Test func entraEmailFilter() throws {
        let user = try ResourceValidator().validate(Fixture.json("entra/create-user.json"), as: userType).resource
        #expect(try matches(#"emails[type eq "work"].value eq "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com""#, user))
        #expect(try matches(#"emails[type eq "home"].value eq "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com""#, user) == false)
        #expect(try matches(#"userName eq "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1" and externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef""#, user))
        let jyoung = try ResourceValidator().validate(Fixture.json("entra/create-user-string-booleans.json"), as: userType).resource
        #expect(try matches("externalId eq jyoung", jyoung))
        let group = try ResourceValidator().validate(Fixture.json("entra/create-group.json"), as: groupType).resource
        #expect(try matches(#"displayName eq "DISPLAYNAME""#, group, groupType))
    }

    @Test func untypedEvaluation() throws {
        let resource: JSONValue = ["UserName": "Bob", "emails": [["value": "b@x", "type": "work"]], "meta": ["lastModified": "2020-01-01T00:00:00Z"]]
        #expect(try matches(#"userName eq "bob""#, resource, nil), "case-insensitive names and values by default")
        #expect(try matches(#"emails[type eq "work"]"#, resource, nil))
        #expect(try matches(#"emails co "@X""#, resource, nil), "a complex value compares its value, typed or not")
        #expect(try matches(#"emails eq "b@x""#, resource, nil))
        #expect(try matches(#"meta.lastModified lt "2021-01-01T00:00:00+05:00""#, resource, nil), "dateTime literals order as instants")
        #expect(try matches(#"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "BOB""#, resource, nil))
        #expect(FilterMatcher(.compare(AttributePath(attribute: "x"), .eq, 1), for: nil).matches("not an object") == false)
        #expect(FilterMatcher(.present(AttributePath(attribute: "userName")), for: nil).matches(["userName": "z"] as [String: JSONValue]))
    }

    @Test func wrongTypesInTheResourceNeverMatch() throws {
        let odd: JSONValue = ["userName": 5, "active": "yes", "emails": "not-an-array", "name": "flat"]
        #expect(try matches(#"userName eq "5""#, odd) == false)
        #expect(try matches("active eq true", odd) == false)
        #expect(try matches(#"emails[type eq "work"]"#, odd) == false)
        #expect(try matches(#"name.givenName eq "x""#, odd) == false)
        #expect(try matches("userName pr", odd))
    }

    @Test func presentOnComplexValues() throws {
        #expect(try matches("name pr", ["userName": "a", "name": ["givenName": "x"]]))
        #expect(try matches("name pr", ["userName": "a", "name": ["givenName": ""]]) == false)
        #expect(try matches("emails pr", ["userName": "a", "emails": []]) == false)
        #expect(try matches("emails pr", ["userName": "a", "emails": [["value": "x"]]]))
    }

    /// A compiled filter over many resources does the least work: each value is compared
    /// once, and `and` stops at the first false term. Counted, not timed: a count is the
    /// same on a loaded machine.
    @Test func evaluatingOverManyResourcesDoesTheLeastWork() throws {
        var users: [JSONValue] = []
        for i in 0..<20_000 {
            users.append(["userName": .string("user\(i)@example.com"), "active": .bool(i % 2 == 0),
                          "emails": [["value": .string("u\(i)@Example.com"), "type": "work"]]])
        }
        let objects = users.compactMap(\.objectValue)
        let matcher = FilterMatcher(try FilterParser.parse(#"emails[type eq "work" and value ew "@example.COM"] and active eq true and userName sw "USER9""#, for: userType), for: userType)
        var work = CountedWork()
        let count = objects.reduce(0) { $0 + (matcher.matches($1, counting: &work) ? 1 : 0) }
        #expect(count == 555)  // active (even) users named user9, user90…, user900…, user9000…
        // Every user: the email's type and value, then `active`; only the 10,000 active
        // ones get to `userName`.
        #expect(work.count == 20_000 * 3 + 10_000)
        #expect(objects.filter(matcher.matches).count == count, "counting changes no answer")
    }

    /// A custom extension read from JSON is filtered exactly as the enterprise one, by full
    /// URN path, with its `caseExact` and types; an undeclared one untyped.
    @Test func customExtensionAttributesByFullPath() throws {
        let type = try CustomExtension.userType()
        let urn = CustomExtension.urn
        let user = try ResourceValidator(registry: try CustomExtension.registry()).validate(try json(#"""
            {"userName":"bob","\#(urn)":{"costCenter":"abc","employeeCode":"AbC","level":7,"startDate":"2024-02-29T09:00:00+01:00",
             "badges":[{"value":"B-1","type":"primary"}]}}
            """#), as: type).resource
        #expect(try matches(#"\#(urn):costCenter eq "ABC""#, user, type), "not case-exact")
        #expect(try matches(#"\#(urn):employeeCode eq "AbC""#, user, type))
        #expect(try !matches(#"\#(urn):employeeCode eq "abc""#, user, type), "case-exact")
        #expect(try matches(#"\#(urn):level gt 6 and \#(urn):level le 7"#, user, type))
        #expect(try matches(#"\#(urn):startDate lt "2024-02-29T08:30:00Z""#, user, type), "as instants, not text")
        #expect(try matches(#"\#(urn):badges[type eq "PRIMARY" and value sw "b-"]"#, user, type))
        #expect(try matches(#"\#(urn):badges.value eq "B-1""#, user, type))
        expectSCIMError(.invalidFilter) { _ = try FilterParser.parse(#"\#(urn):level eq "seven""#, for: type) }
        expectSCIMError(.invalidFilter) { _ = try FilterParser.parse(#"\#(urn):nope eq "x""#, for: type) }
        // Stored nested from a top-level key, an undeclared extension is found by its full path.
        let entra = try ResourceValidator().validate(try json(#"{"userName":"bob","\#(urn):costCenter":"42"}"#), as: userType).resource
        #expect(try matches(#"\#(urn):costCenter eq "42""#, entra))
    }
}
