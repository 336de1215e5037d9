import Testing
@testable import SCIM

/// Property tests over thousands of generated and mutated inputs: the JSON decoder, the
/// filter parser, the PATCH parser and engine, and the validator must never crash, must
/// fail only with `SCIMError`, and what they accept must round-trip or be stable.
@Suite("Random input")
struct RandomInputTests {
    // MARK: Generators

    static let words = [
        "userName", "name", "givenName", "emails", "value", "type", "primary", "members", "display", "active", "title",
        "meta", "lastModified", "id", "externalId", "schemas", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        "manager", "department", "groups", "password", "addresses", "phoneNumbers", "$ref", "urn:acme:1:User", "x",
    ]
    static let filterTokens = [
        "userName", "name.givenName", "emails", "emails.value", "emails[", "]", "[", "(", ")", "not", "and", "or", "eq", "ne",
        "co", "sw", "ew", "gt", "ge", "lt", "le", "pr", "\"work\"", "\"a\\\"b\"", "\"2011-05-13T04:42:34Z\"", "true", "false",
        "null", "42", "-1.5e3", "type", "value", "meta.lastModified", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
        "active", "bare", ".value", "\"", "\\", "é", " ", "  ", "members[value", "\"unterminated", "0x", "--", "[]", "\u{0}",
    ]

    static func randomString(_ rng: inout SeededGenerator) -> String {
        let pool: [String] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\u{1}", "é", "ß", "中", "😀", "\u{7F}", ":", ".", "[", "]"]
        return (0..<Int.random(in: 0...8, using: &rng)).map { _ in pool.randomElement(using: &rng)! }.joined()
    }

    static func randomJSON(_ rng: inout SeededGenerator, depth: Int = 0) -> JSONValue {
        let choice = Int.random(in: 0..<(depth > 4 ? 6 : 8), using: &rng)
        switch choice {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .int(Int64.random(in: Int64.min...Int64.max, using: &rng))
        case 3:
            let d = Double.random(in: -1e12...1e12, using: &rng)
            return .decimal(Bool.random(using: &rng) ? d : d.rounded())
        case 4: return .string(randomString(&rng))
        case 5: return .string(words.randomElement(using: &rng)!)
        case 6: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in randomJSON(&rng, depth: depth + 1) })
        default:
            var object: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &rng) {
                let key = Bool.random(using: &rng) ? words.randomElement(using: &rng)! : randomString(&rng)
                object[key] = randomJSON(&rng, depth: depth + 1)
            }
            return .object(object)
        }
    }

    static func mutate(_ bytes: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let interesting: [UInt8] = [0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x2C, 0x3A, 0x30, 0x2D, 0x2E, 0x65, 0x00, 0x80, 0xC3, 0xED, 0xF4, 0xFF, 0x20, 0x75]
            let byte = Bool.random(using: &rng) ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0 where !bytes.isEmpty: bytes[Int.random(in: 0..<bytes.count, using: &rng)] = byte
            case 1: bytes.insert(byte, at: Int.random(in: 0...bytes.count, using: &rng))
            case 2 where !bytes.isEmpty: bytes.remove(at: Int.random(in: 0..<bytes.count, using: &rng))
            default:
                if bytes.count > 2 {
                    let cut = Int.random(in: 0..<bytes.count, using: &rng)
                    bytes = Array(bytes[..<cut])
                }
            }
        }
        return bytes
    }

    // MARK: JSON

    @Test func generatedJSONRoundTrips() throws {
        var rng = SeededGenerator(seed: 1)
        for _ in 0..<1500 {
            let value = Self.randomJSON(&rng)
            for style in [JSONStyle.compact, .canonical] {
                let bytes = value.serialized(style)
                let parsed = try JSONValue.parse(bytes)
                #expect(parsed == value, "\(value)")
                #expect(parsed.serialized(style) == bytes)
            }
        }
    }

    @Test func mutatedJSONNeverCrashes() throws {
        var rng = SeededGenerator(seed: 2)
        var accepted = 0, refused = 0
        let seeds = try ["rfc7644/user-enterprise.json", "okta/create-user.json", "entra/patch-add-attributes.json"].map { try Fixture.bytes($0) }
        for round in 0..<4000 {
            let base = round % 4 == 3 ? Self.randomJSON(&rng).serialized(.compact) : seeds[round % 3]
            let input = Self.mutate(base, &rng)
            do {
                let value = try JSONValue.parse(input)
                // Whatever is accepted serialises back to something equivalent.
                #expect(try JSONValue.parse(value.serialized(.compact)) == value)
                accepted += 1
            } catch {
                #expect(error.scimType == .invalidSyntax)
                #expect(error.detail.contains("at byte"))
                refused += 1
            }
        }
        #expect(accepted > 50 && refused > 1000, "accepted \(accepted), refused \(refused)")
    }

    @Test func randomBytesNeverCrash() {
        var rng = SeededGenerator(seed: 3)
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            do { _ = try JSONValue.parse(bytes) } catch { #expect(error.status == 400) }
        }
    }

    // MARK: Filters

    @Test func generatedAndMutatedFiltersNeverCrash() throws {
        var rng = SeededGenerator(seed: 4)
        let valid = try Fixture.strings("rfc7644/filters.json") + Fixture.strings("entra/filters.json")
        let resource = try ResourceValidator().canonicalizeStored(Fixture.json("rfc7644/user-enterprise.json"), as: userType)
        var parsedCount = 0
        for round in 0..<4000 {
            let text: String
            if round % 2 == 0 {
                text = (0..<Int.random(in: 1...12, using: &rng)).map { _ in Self.filterTokens.randomElement(using: &rng)! }.joined(separator: Bool.random(using: &rng) ? " " : "")
            } else {
                let bytes = Self.mutate(Array(valid[round % valid.count].utf8), &rng)
                text = String(decoding: bytes, as: UTF8.self)
            }
            for type in [userType, nil] as [ResourceType?] {
                do {
                    let filter = try FilterParser.parse(text, for: type)
                    parsedCount += 1
                    // What parses prints back to an equivalent filter and can be evaluated.
                    #expect(try FilterParser.parse(filter.description, for: type) == filter, "\(text) → \(filter)")
                    _ = filter.matches(resource, as: type)
                    _ = filter.requiredEqualities(for: type)
                } catch {
                    #expect(error.scimType == .invalidFilter, "\(text): \(error)")
                }
            }
        }
        #expect(parsedCount > 300, "\(parsedCount)")
    }

    @Test func randomPathsNeverCrash() {
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 1...6, using: &rng)).map { _ in Self.filterTokens.randomElement(using: &rng)! }.joined()
            do {
                let path = try AttributePath.parse(text)
                #expect(try AttributePath.parse(path.description) == path, "\(text)")
            } catch {
                #expect(error.scimType == .invalidPath)
            }
            do { _ = try AttributePath.parse(text, for: userType) } catch { #expect(error.scimType == .invalidPath) }
        }
    }

    // MARK: PATCH

    static func randomOperation(_ rng: inout SeededGenerator, forGroup: Bool) -> JSONValue {
        let ops: [JSONValue] = ["add", "replace", "remove", "Add", "REPLACE", "move", 5, nil]
        let paths: [JSONValue] = [
            "userName", "name.givenName", "name", "emails", "emails[type eq \"work\"].value", "emails[type eq \"work\"]",
            "emails[value co \"x\"]", "members", "members[value eq \"u1\"]", "active", "title", "id", "meta", "groups",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
            "urn:acme:1:User:k", "nope", "emails[", "", "displayName", "members[display sw \"a\"].display", "schemas", "password",
            .string(randomString(&rng)), nil, 7,
        ]
        let validOps: [JSONValue] = ["add", "replace", "remove"]
        let validPaths: [JSONValue] = forGroup
            ? ["displayName", "members", "members[value eq \"u1\"]", "members[display sw \"b\"]", "externalId", "members.display"]
            : ["name.givenName", "emails[type eq \"work\"].value", "title", "active", "displayName", "nickName", "emails",
               "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "emails[value co \"@\"].primary"]
        var op: [String: JSONValue] = [:]
        let o = Int.random(in: 0..<10, using: &rng) < 8 ? validOps.randomElement(using: &rng)! : ops.randomElement(using: &rng)!
        if !o.isNull { op["op"] = o }
        let p = Int.random(in: 0..<10, using: &rng) < 6 ? validPaths.randomElement(using: &rng)! : paths.randomElement(using: &rng)!
        if !p.isNull { op["path"] = p }
        if Int.random(in: 0..<5, using: &rng) > 0 {
            let values: [JSONValue] = [
                "x", "False", true, 3, [["value": "u1"], ["value": "u2", "display": "U"]], ["value": ""],
                ["givenName": "A", "active": "True", "name.familyName": "B", "id": "other"], [["value": "a", "primary": true], ["value": "b", "primary": true]],
                ["members": [["value": "u3"]], "displayName": "G"], nil, [],
            ]
            op["value"] = Int.random(in: 0..<4, using: &rng) > 0 ? values.randomElement(using: &rng)! : randomJSON(&rng, depth: 3)
        }
        return .object(op)
    }

    @Test func randomPatchRequestsNeverCrashAndResultsStayValid() throws {
        var rng = SeededGenerator(seed: 6)
        let validator = ResourceValidator()
        let user = try validator.canonicalizeStored(Fixture.json("rfc7644/user-enterprise.json"), as: userType)
        let group = try validator.canonicalizeStored(Fixture.json("rfc7644/group.json"), as: groupType)
        let engine = PatchEngine()
        var applied = 0
        for round in 0..<2500 {
            let forGroup = round % 2 == 1
            var body: JSONValue = ["schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": .array((0..<Int.random(in: 1...3, using: &rng)).map { _ in Self.randomOperation(&rng, forGroup: forGroup) })]
            if round % 10 == 0 { body = Self.randomJSON(&rng) }
            let request: PatchRequest
            do {
                request = try PatchRequest(json: body)
            } catch {
                #expect([.invalidSyntax, .invalidPath, .noTarget].contains(error.scimType), "\(error)")
                continue
            }
            let (resource, type): (JSONValue, ResourceType) = forGroup ? (group, groupType) : (user, userType)
            let members: (any MemberSet)? = (type == groupType && round % 4 == 1) ? InMemoryMemberSet(ids: ["u1", "2819c223-7f76-453a-919d-413861904646"]) : nil
            do {
                let outcome = try engine.apply(request, to: resource, as: type, members: members)
                applied += 1
                // The result is canonical and valid: re-canonicalising changes nothing.
                #expect(try validator.canonicalizeStored(outcome.resource, as: type) == outcome.resource, "\(body)")
                #expect(outcome.resource["id"] == resource["id"])
                #expect(outcome.changes == AttributeDiff.changes(from: members == nil ? resource : Self.withoutMembers(resource), to: outcome.resource, as: type))
            } catch {
                #expect(error.status == 400, "\(error)")
                #expect(error.scimType != nil)
            }
        }
        #expect(applied > 300, "\(applied)")
    }

    static func withoutMembers(_ resource: JSONValue) -> JSONValue {
        var copy = resource
        copy["members"] = nil
        return copy
    }

    @Test func mutatedPatchBodiesNeverCrash() throws {
        var rng = SeededGenerator(seed: 7)
        let fixtures = try ["okta/membership-update.json", "entra/patch-add-attributes.json", "rfc7644/patch-replace-address.json", "entra/patch-dotted-keys.json"].map { try Fixture.bytes($0) }
        let user = try ResourceValidator().canonicalizeStored(Fixture.json("rfc7644/user-enterprise.json"), as: userType)
        var applied = 0
        for round in 0..<2500 {
            let bytes = Self.mutate(fixtures[round % fixtures.count], &rng)
            let request: PatchRequest
            do {
                request = try PatchRequest(bytes: bytes)
            } catch {
                #expect(error.status == 400)
                continue
            }
            // What the engine makes of a request that parses is a valid resource or a SCIM error.
            do {
                let outcome = try PatchEngine().apply(request, to: user, as: userType)
                applied += 1
                #expect(try ResourceValidator().canonicalizeStored(outcome.resource, as: userType) == outcome.resource)
            } catch {
                #expect(error.status == 400 && error.scimType != nil, "\(error)")
            }
        }
        #expect(applied > 100, "\(applied)")
    }

    // MARK: Validation

    @Test func validatedResourcesAreStable() throws {
        var rng = SeededGenerator(seed: 8)
        let validator = ResourceValidator()
        var accepted = 0
        let base = try Fixture.json("rfc7644/user-enterprise.json").objectValue!
        for round in 0..<2000 {
            var object = round % 2 == 0 ? base : [:]
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                object[Self.words.randomElement(using: &rng)!] = Bool.random(using: &rng) ? Self.randomJSON(&rng, depth: 2) : base.randomElement(using: &rng)!.value
            }
            if Bool.random(using: &rng) { object["userName"] = .string("u\(round)") }
            let type = round % 5 == 0 ? groupType : userType
            if type == groupType { object["displayName"] = "g" }
            do {
                let once = try validator.validate(.object(object), as: type).resource
                accepted += 1
                #expect(try validator.validate(once, as: type).resource == once)
                #expect(try validator.canonicalizeStored(once, as: type) == once)
            } catch {
                #expect([.invalidValue, .invalidSyntax, .mutability].contains(error.scimType), "\(error)")
            }
        }
        #expect(accepted > 300, "\(accepted)")
    }
}
