import Testing
@testable import SCIM

/// The value filter × sub-attribute × op matrix of PATCH on multi-valued attributes, run on
/// a declared attribute (`emails`) and on an undeclared one holding the same values
/// (`urn:acme:ext:1.0:User:emails`, kept verbatim). Each case applies the same operation to
/// both: where the values are already canonical the answers are the same, and where they
/// differ it is because declared values are coerced and keep one `primary`.
@Suite("PATCH: multi-valued attributes, declared and undeclared")
struct PatchMultiValuedTests {
    let engine = PatchEngine()
    static let acme = "urn:acme:ext:1.0:User"
    static let values: JSONValue = [["type": "work", "value": "a@x"], ["type": "home", "value": "b@x"], ["type": "work", "value": "c@x"]]
    let user: JSONValue

    init() throws {
        var user = try ResourceValidator().canonicalizeStored(["id": "u", "userName": "u", "emails": Self.values], as: userType)
        user[.init(Self.acme)] = ["emails": Self.values]
        self.user = user
    }

    /// The `emails` each kind ends with after `operation`, written with `PATH` where the
    /// attribute's path goes (`emails` or `urn:acme:ext:1.0:User:emails`).
    func both(_ operation: String) throws -> (declared: JSONValue?, undeclared: JSONValue?) {
        func run(_ path: String) throws -> PatchOutcome {
            let text = operation.replacingOccurrences(of: "PATH", with: path)
            return try engine.apply(PatchRequest(json: try json(#"{"Operations":[\#(text)]}"#)), to: user, as: userType)
        }
        return (try run("emails").resource["emails"], try run(Self.acme + ":emails").resource[.init(Self.acme)]?["emails"])
    }

    /// Both kinds give `expected`.
    func expectBoth(_ operation: String, _ expected: JSONValue?, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (declared, undeclared) = try both(operation)
        #expect(declared == expected, "declared", sourceLocation: sourceLocation)
        #expect(undeclared == expected, "undeclared", sourceLocation: sourceLocation)
    }

    // MARK: With a value filter

    @Test func removeTheMatchingValues() throws {
        try expectBoth(#"{"op":"remove","path":"PATH[type eq \"work\"]"}"#, [["type": "home", "value": "b@x"]])
        try expectBoth(#"{"op":"remove","path":"PATH[type eq \"other\"]"}"#, Self.values)
    }

    @Test func removeASubAttributeOfTheMatchingValues() throws {
        try expectBoth(#"{"op":"remove","path":"PATH[type eq \"work\"].type"}"#, [["value": "a@x"], ["type": "home", "value": "b@x"], ["value": "c@x"]])
    }

    @Test func replaceASubAttributeOfEveryMatchingValue() throws {
        try expectBoth(#"{"op":"replace","path":"PATH[type eq \"work\"].display","value":"W"}"#, [
            ["type": "work", "value": "a@x", "display": "W"], ["type": "home", "value": "b@x"], ["type": "work", "value": "c@x", "display": "W"],
        ])
    }

    @Test func replaceTheMatchingValues() throws {
        try expectBoth(#"{"op":"replace","path":"PATH[value eq \"b@x\"]","value":{"type":"other","value":"d@x"}}"#, [
            ["type": "work", "value": "a@x"], ["type": "other", "value": "d@x"], ["type": "work", "value": "c@x"],
        ])
    }

    @Test func addToTheMatchingValuesMerges() throws {
        try expectBoth(#"{"op":"add","path":"PATH[value eq \"b@x\"]","value":{"display":"B"}}"#, [
            ["type": "work", "value": "a@x"], ["type": "home", "value": "b@x", "display": "B"], ["type": "work", "value": "c@x"],
        ])
    }

    @Test func aFilterThatMatchesNothingCreatesTheValueItDescribes() throws {
        let created = Self.values.arrayValue! + [["type": "other", "value": "d@x"]]
        try expectBoth(#"{"op":"add","path":"PATH[type eq \"other\"].value","value":"d@x"}"#, .array(created))
        try expectBoth(#"{"op":"replace","path":"PATH[type eq \"other\"].value","value":"d@x"}"#, .array(created))
        try expectBoth(#"{"op":"add","path":"PATH[type eq \"other\"]","value":{"value":"d@x"}}"#, .array(created))
    }

    @Test func aFilterThatCannotDescribeAValueIsNoTarget() {
        for path in ["emails", Self.acme + ":emails"] {
            let error = expectSCIMError(.noTarget) {
                _ = try engine.apply(PatchRequest(json: try json(#"{"Operations":[{"op":"add","path":"\#(path)[value co \"zz\"].type","value":"x"}]}"#)), to: user, as: userType)
            }
            #expect(error?.detail.contains("does not describe a value to create") == true, "\(path): \(error?.detail ?? "")")
        }
    }

    // MARK: Without a filter

    @Test func removeListedValuesOrAll() throws {
        try expectBoth(#"{"op":"remove","path":"PATH","value":[{"type":"home","value":"b@x"}]}"#, [["type": "work", "value": "a@x"], ["type": "work", "value": "c@x"]])
        try expectBoth(#"{"op":"remove","path":"PATH"}"#, nil)
    }

    @Test func addAppendsOnlyWhatIsNotThere() throws {
        try expectBoth(#"{"op":"add","path":"PATH","value":[{"type":"home","value":"b@x"},{"type":"other","value":"d@x"}]}"#, .array(Self.values.arrayValue! + [["type": "other", "value": "d@x"]]))
    }

    @Test func replaceReplacesAll() throws {
        try expectBoth(#"{"op":"replace","path":"PATH","value":[{"type":"other","value":"d@x"}]}"#, [["type": "other", "value": "d@x"]])
    }

    // MARK: Where declared values differ

    /// Declared values are coerced (a string `"true"` for a boolean) and keep one `primary`;
    /// undeclared ones are stored as sent.
    @Test func declaredValuesAreCoercedAndKeepOnePrimary() throws {
        let (declared, undeclared) = try both(#"{"op":"replace","path":"PATH[value eq \"b@x\"].primary","value":"true"}"#)
        #expect(declared == [["type": "work", "value": "a@x"], ["type": "home", "value": "b@x", "primary": true], ["type": "work", "value": "c@x"]])
        #expect(undeclared == [["type": "work", "value": "a@x"], ["type": "home", "value": "b@x", "primary": "true"], ["type": "work", "value": "c@x"]])
        let moved = try engine.apply(PatchRequest(json: try json(#"{"Operations":[{"op":"replace","path":"emails[value eq \"b@x\"].primary","value":true},{"op":"add","path":"emails","value":[{"value":"d@x","primary":true}]}]}"#)), to: user, as: userType)
        #expect(moved.resource["emails"]?.arrayValue?.map { $0["primary"] } == [nil, false, nil, true], "the new primary clears the old one")
    }

    /// Declared values are the same when their `value`s are (case-insensitively here);
    /// undeclared ones only when equal.
    @Test func declaredValuesCompareByValue() throws {
        let (declared, undeclared) = try both(#"{"op":"remove","path":"PATH","value":[{"type":"home","value":"B@X"}]}"#)
        #expect(declared == [["type": "work", "value": "a@x"], ["type": "work", "value": "c@x"]])
        #expect(undeclared == Self.values)
    }

    /// A sub-attribute without a filter is set on every value of a declared attribute. (An
    /// undeclared attribute is not known to be multi-valued: `PATH.display` sets a member of
    /// it as of a single complex value.)
    @Test func aSubAttributeWithoutAFilterIsSetOnEveryValue() throws {
        let outcome = try engine.apply(PatchRequest(json: try json(#"{"Operations":[{"op":"replace","path":"emails.display","value":"E"}]}"#)), to: user, as: userType)
        #expect(outcome.resource["emails"] == [["type": "work", "value": "a@x", "display": "E"], ["type": "home", "value": "b@x", "display": "E"], ["type": "work", "value": "c@x", "display": "E"]])
    }
}
