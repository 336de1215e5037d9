/// Parses SCIM filters (RFC 7644 §3.4.2.2, Figure 1) into a `Filter` tree.
///
/// The whole grammar is supported: `eq ne co sw ew gt ge lt le pr`, `and`/`or`/`not`
/// (precedence `not` > `and` > `or`), parentheses, value paths, sub-attributes,
/// URN-qualified names, and JSON literals (strings, numbers, `true`, `false`, `null`).
/// Operators, keywords and attribute names are case-insensitive.
///
/// Choices where the RFC leaves room:
/// - **Unquoted values** (`externalId eq jyoung`, shown in Entra's docs) are accepted as
///   strings when unambiguous: a bare word that is not `true`/`false`/`null`, not a JSON
///   number and not an operator or keyword. For a string attribute a number is compared
///   as its text (`externalId eq 12345` means `"12345"`).
/// - `not` needs parentheses, as the grammar says; `not (…)` and `not(…)` both work
///   (errata 7319).
/// - Entra's `emails[type eq "work"].value eq "x"` — a value path followed by a
///   sub-attribute and a comparison — is accepted (see `Filter`).
/// - With a resource type, unknown attributes, comparisons the attribute's type does
///   not support (`active gt true`, `userName co 5`), values of the wrong type, and
///   attributes that are never returned (`password`, any writeOnly or `returned: never`
///   attribute, which the store keeps) are `400 invalidFilter`; an attribute under an extension URN the server does not know is
///   compared untyped. Nothing is ever silently matched-all or matched-none.
/// - Bounded: more than 4096 bytes, or nesting (parentheses, `not`, brackets) deeper
///   than 64, is refused before any deep recursion.
public enum FilterParser {
    /// The longest filter accepted, in UTF-8 bytes.
    public static let maxLength = 4096
    /// The deepest nesting of parentheses/brackets accepted.
    public static let maxDepth = 64

    /// Parses `text`. With a `type`, attribute names are resolved to canonical names and
    /// literals coerced to attribute types; without one, names are kept as written.
    /// Errors are `400 invalidFilter` with the position (byte offset) of the problem.
    public static func parse(_ text: String, for type: ResourceType?) throws(SCIMError) -> Filter {
        try FilterSyntaxParser.parseFilter(text, for: type)
    }
}

/// The recursive-descent parser shared by filters and PATCH paths (which embed filters);
/// only the error kind differs (`invalidFilter` vs `invalidPath`).
struct FilterSyntaxParser {
    /// The attribute whose sub-attributes the paths inside `[…]` name.
    struct Parent {
        var path: AttributePath
        var definition: AttributeDefinition?
    }

    private enum Literal {
        case value(JSONValue)
        case number(JSONValue, text: String)
        case bare(String)
    }

    private var lexer: FilterLexer
    private let type: ResourceType?
    private var depth = 0
    private let makeError: @Sendable (String) -> SCIMError

    private init(text: String, type: ResourceType?, makeError: @escaping @Sendable (String) -> SCIMError) {
        self.lexer = FilterLexer(text, makeError: makeError)
        self.type = type
        self.makeError = makeError
    }

    // MARK: Entry points

    static func parseFilter(_ text: String, for type: ResourceType?) throws(SCIMError) -> Filter {
        let makeError: @Sendable (String) -> SCIMError = { .invalidFilter($0) }
        guard text.utf8.count <= FilterParser.maxLength else {
            throw makeError("filter is longer than \(FilterParser.maxLength) bytes")
        }
        var parser = FilterSyntaxParser(text: text, type: type, makeError: makeError)
        if try parser.lexer.peek().kind == .end { throw makeError("empty filter") }
        let filter = try parser.parseOr(parent: nil)
        let token = try parser.lexer.next()
        guard token.kind == .end else {
            throw makeError("unexpected \(describe(token)) at position \(token.offset); expected 'and', 'or' or the end of the filter")
        }
        return filter
    }

    static func parsePath(_ text: String, for type: ResourceType?) throws(SCIMError) -> AttributePath {
        let makeError: @Sendable (String) -> SCIMError = { .invalidPath($0) }
        guard text.utf8.count <= FilterParser.maxLength else {
            throw makeError("path is longer than \(FilterParser.maxLength) bytes")
        }
        var parser = FilterSyntaxParser(text: text, type: type, makeError: makeError)
        let first = try parser.lexer.next()
        guard case .word(let word) = first.kind else {
            throw makeError(first.kind == .end ? "empty path" : "unexpected \(describe(first)) at position \(first.offset); expected an attribute name")
        }
        guard let syntactic = AttributePath.parseNotation(word) else {
            throw makeError("invalid attribute path \"\(word)\" at position \(first.offset)")
        }
        var path = syntactic
        var parentDefinition: AttributeDefinition?
        if let type {
            switch type.resolution(of: syntactic) {
            case .attribute(let resolved):
                path = resolved.path
                parentDefinition = resolved.definition
            case .wholeExtension(let urn, _):
                guard let colon = urn.lastIndex(of: ":") else { throw makeError("invalid path \"\(word)\"") }
                path = AttributePath(schema: String(urn[..<colon]), attribute: String(urn[urn.index(after: colon)...]))
            case .unknown(let reason):
                throw makeError("\(reason) (path \"\(word)\")")
            }
        }
        if try parser.lexer.peek().kind == .leftBracket {
            let bracket = try parser.lexer.next()
            guard syntactic.subAttribute == nil else {
                throw makeError("a value filter must follow the attribute, not its sub-attribute (position \(bracket.offset))")
            }
            if type != nil, let definition = parentDefinition, definition.type != .complex {
                throw makeError("\"\(definition.name)\" is not complex; it cannot take a value filter (position \(bracket.offset))")
            }
            try parser.enter(at: bracket.offset)
            let inner = try parser.parseOr(parent: Parent(path: path, definition: parentDefinition))
            try parser.expect(.rightBracket, "']'")
            parser.leave()
            path.valueFilter = inner
            if parser.lexer.atDot {
                let (name, offset) = try parser.lexer.readSubAttribute()
                path.subAttribute = try parser.resolveSub(name, of: Parent(path: path, definition: parentDefinition), offset: offset).name
            }
        }
        let end = try parser.lexer.next()
        guard end.kind == .end else {
            throw makeError("unexpected \(describe(end)) at position \(end.offset) in path")
        }
        return path
    }

    // MARK: Grammar

    private mutating func enter(at offset: Int) throws(SCIMError) {
        depth += 1
        if depth > FilterParser.maxDepth {
            throw makeError("nesting deeper than \(FilterParser.maxDepth) levels at position \(offset)")
        }
    }

    private mutating func leave() { depth -= 1 }

    private mutating func expect(_ kind: FilterLexer.Kind, _ name: String) throws(SCIMError) {
        let token = try lexer.next()
        guard token.kind == kind else {
            throw makeError("expected \(name) at position \(token.offset), found \(FilterSyntaxParser.describe(token))")
        }
    }

    private mutating func parseOr(parent: Parent?) throws(SCIMError) -> Filter {
        var left = try parseAnd(parent: parent)
        while case .word(let word) = try lexer.peek().kind, ASCII.equalsIgnoringCase(word, "or") {
            _ = try lexer.next()
            let right = try parseAnd(parent: parent)
            left = .or(left, right)
        }
        return left
    }

    private mutating func parseAnd(parent: Parent?) throws(SCIMError) -> Filter {
        var left = try parseUnary(parent: parent)
        while case .word(let word) = try lexer.peek().kind, ASCII.equalsIgnoringCase(word, "and") {
            _ = try lexer.next()
            let right = try parseUnary(parent: parent)
            left = .and(left, right)
        }
        return left
    }

    private mutating func parseUnary(parent: Parent?) throws(SCIMError) -> Filter {
        let token = try lexer.next()
        switch token.kind {
        case .leftParen:
            try enter(at: token.offset)
            let inner = try parseOr(parent: parent)
            try expect(.rightParen, "')'")
            leave()
            return inner
        case .word(let word) where ASCII.equalsIgnoringCase(word, "not"):
            let open = try lexer.next()
            guard open.kind == .leftParen else {
                throw makeError("expected '(' after 'not' at position \(open.offset), found \(FilterSyntaxParser.describe(open))")
            }
            try enter(at: open.offset)
            let inner = try parseOr(parent: parent)
            try expect(.rightParen, "')'")
            leave()
            return .not(inner)
        case .word(let word):
            if FilterSyntaxParser.isKeyword(word) {
                throw makeError("unexpected '\(word)' at position \(token.offset); expected an attribute name")
            }
            return try parseAttributeExpression(word, offset: token.offset, parent: parent)
        default:
            throw makeError("unexpected \(FilterSyntaxParser.describe(token)) at position \(token.offset); expected an attribute name, '(' or 'not'")
        }
    }

    private mutating func parseAttributeExpression(_ word: String, offset: Int, parent: Parent?) throws(SCIMError) -> Filter {
        guard let syntactic = AttributePath.parseNotation(word) else {
            throw makeError("invalid attribute path \"\(word)\" at position \(offset)")
        }
        let path: AttributePath
        let governing: AttributeDefinition?
        var attributeDefinition: AttributeDefinition?
        if let parent {
            guard syntactic.schema == nil, syntactic.subAttribute == nil else {
                throw makeError("inside [...] only sub-attribute names of \"\(parent.path.attribute)\" are allowed; found \"\(word)\" at position \(offset)")
            }
            let sub = try resolveSub(syntactic.attribute, of: parent, offset: offset)
            try refuseHidden(sub.definition, word, offset: offset)
            path = AttributePath(attribute: sub.name)
            governing = sub.definition
        } else if let type {
            switch type.resolution(of: syntactic) {
            case .attribute(let resolved):
                try refuseHidden(resolved.definition, word, offset: offset)
                try refuseHidden(resolved.subDefinition, word, offset: offset)
                path = resolved.path
                governing = resolved.effectiveDefinition
                attributeDefinition = resolved.definition
            case .wholeExtension(let urn, _):
                throw makeError("\"\(urn)\" names a schema, not an attribute (position \(offset))")
            case .unknown(let reason):
                throw makeError("\(reason) (position \(offset))")
            }
        } else {
            path = syntactic
            governing = nil
        }

        let next = try lexer.peek()
        if next.kind == .leftBracket {
            _ = try lexer.next()
            guard parent == nil else { throw makeError("value filters cannot be nested (position \(next.offset))") }
            guard path.subAttribute == nil else {
                throw makeError("a value filter must follow the attribute, not its sub-attribute (position \(next.offset))")
            }
            if let definition = attributeDefinition, definition.type != .complex {
                throw makeError("\"\(definition.name)\" is not complex; it cannot take a value filter (position \(next.offset))")
            }
            try enter(at: next.offset)
            let context = Parent(path: path, definition: attributeDefinition)
            let inner = try parseOr(parent: context)
            try expect(.rightBracket, "']'")
            leave()
            guard lexer.atDot else { return .valuePath(path, inner) }
            // Entra: `emails[type eq "work"].value eq "x"`.
            let (name, subOffset) = try lexer.readSubAttribute()
            let sub = try resolveSub(name, of: context, offset: subOffset)
            try refuseHidden(sub.definition, "\(word)[…].\(name)", offset: subOffset)
            let condition = try parseOperatorAndValue(
                path: AttributePath(attribute: sub.name), governing: sub.definition, pathText: "\(word)[…].\(name)")
            return .valuePath(path, .and(inner, condition))
        }
        return try parseOperatorAndValue(path: path, governing: governing, pathText: word)
    }

    private mutating func parseOperatorAndValue(path: AttributePath, governing: AttributeDefinition?, pathText: String) throws(SCIMError) -> Filter {
        let token = try lexer.next()
        guard case .word(let word) = token.kind else {
            throw makeError("expected an operator after \"\(pathText)\" at position \(token.offset), found \(FilterSyntaxParser.describe(token))")
        }
        if ASCII.equalsIgnoringCase(word, "pr") { return .present(path) }
        guard let op = ComparisonOperator.allCases.first(where: { ASCII.equalsIgnoringCase($0.rawValue, word) }) else {
            throw makeError("unknown operator \"\(word)\" at position \(token.offset); expected eq, ne, co, sw, ew, gt, ge, lt, le or pr")
        }
        let valueToken = try lexer.next()
        let literal: Literal
        switch valueToken.kind {
        case .string(let s):
            literal = .value(.string(s))
        case .word(let w):
            if w == "true" || w == "false" || w == "null" || ASCII.equalsIgnoringCase(w, "true") || ASCII.equalsIgnoringCase(w, "false") || ASCII.equalsIgnoringCase(w, "null") {
                let lower = ASCII.lowercased(w)
                literal = .value(lower == "null" ? .null : .bool(lower == "true"))
            } else if let first = w.utf8.first, first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39),
                      let number = try? JSONValue.parse(w), number.doubleValue != nil {
                literal = .number(number, text: w)
            } else if FilterSyntaxParser.isKeyword(w) {
                throw makeError("expected a value after '\(word)' at position \(valueToken.offset), found the keyword '\(w)'")
            } else {
                literal = .bare(w)
            }
        default:
            throw makeError("expected a value after '\(word)' at position \(valueToken.offset), found \(FilterSyntaxParser.describe(valueToken))")
        }
        let value = try coerce(literal, op: op, governing: governing, pathText: pathText, offset: valueToken.offset)
        return .compare(path, op, value)
    }

    /// Values that are never returned (writeOnly, `returned: never`) are never compared
    /// either: a filter that matched on them would reveal them one guess at a time.
    private func refuseHidden(_ definition: AttributeDefinition?, _ text: String, offset: Int) throws(SCIMError) {
        if let definition, definition.isNeverReturned {
            throw makeError("\"\(text)\" is never returned, so it cannot be filtered on (position \(offset))")
        }
    }

    /// The sub-attribute `name` of the filtered attribute (canonical when typed).
    private func resolveSub(_ name: String, of parent: Parent, offset: Int) throws(SCIMError) -> (name: String, definition: AttributeDefinition?) {
        guard type != nil, let definition = parent.definition else { return (name, nil) }
        guard definition.type == .complex else {
            throw makeError("\"\(definition.name)\" has no sub-attributes (position \(offset))")
        }
        guard let sub = definition.subAttribute(named: name) else {
            throw makeError("no sub-attribute \"\(name)\" in \"\(definition.name)\" (position \(offset))")
        }
        return (sub.name, sub)
    }

    /// Checks the operator against the attribute type and converts the literal.
    private func coerce(_ literal: Literal, op: ComparisonOperator, governing: AttributeDefinition?, pathText: String, offset: Int) throws(SCIMError) -> JSONValue {
        let raw: JSONValue
        switch literal {
        case .value(let v): raw = v
        case .number(let v, _): raw = v
        case .bare(let s): raw = .string(s)
        }
        if raw.isNull {
            guard op == .eq || op == .ne else {
                throw makeError("'\(op.rawValue) null' is not supported; only eq and ne compare with null (position \(offset))")
            }
            return .null
        }
        guard var definition = governing else {
            // Untyped: the literal as written; operator sanity only.
            if case .bool = raw, op != .eq, op != .ne {
                throw makeError("'\(op.rawValue)' cannot compare booleans (position \(offset))")
            }
            if op.isSubstring, raw.stringValue == nil {
                throw makeError("'\(op.rawValue)' needs a string value (position \(offset))")
            }
            return raw
        }
        if definition.type == .complex {
            guard let valueSub = definition.subAttribute(named: "value") else {
                throw makeError("\"\(pathText)\" is complex; name one of its sub-attributes to compare (position \(offset))")
            }
            definition = valueSub
        }
        let name = definition.name
        switch definition.type {
        case .string, .reference, .binary:
            if definition.type == .binary, op.isOrdering {
                throw makeError("'\(op.rawValue)' is not defined for binary attribute \"\(pathText)\" (position \(offset))")
            }
            switch literal {
            case .number(_, let text): return .string(text)
            default:
                guard case .string = raw else {
                    throw makeError("\"\(pathText)\" is a string; \(raw.typeName) \(raw) cannot be compared with it (position \(offset))")
                }
                return raw
            }
        case .boolean:
            guard op == .eq || op == .ne else {
                throw makeError("'\(op.rawValue)' is not defined for boolean attribute \"\(pathText)\" (position \(offset))")
            }
            guard let bool = Coercion.boolean(raw) else {
                throw makeError("\"\(pathText)\" is a boolean; \(raw) is not (position \(offset))")
            }
            return .bool(bool)
        case .integer, .decimal:
            guard !op.isSubstring else {
                throw makeError("'\(op.rawValue)' is not defined for numeric attribute \"\(pathText)\" (position \(offset))")
            }
            if definition.type == .integer, let i = Coercion.integer(raw) { return .int(i) }
            if definition.type == .decimal, let d = raw.doubleValue { return .decimal(d) }
            throw makeError("\"\(pathText)\" is \(definition.type == .integer ? "an integer" : "a decimal"); \(raw) is not (position \(offset))")
        case .dateTime:
            guard case .string(let text) = raw else {
                throw makeError("\"\(pathText)\" is a dateTime; \(raw) is not (position \(offset))")
            }
            if !op.isSubstring, SCIMDateTime(parsing: text) == nil {
                throw makeError("\"\(text)\" is not a valid dateTime for \"\(name)\" (position \(offset))")
            }
            return raw
        case .complex:
            throw makeError("\"\(pathText)\" cannot be compared (position \(offset))")
        }
    }

    // MARK: Helpers

    private static let keywords: Set<String> = ["and", "or", "not", "pr", "eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]

    static func isKeyword(_ word: String) -> Bool {
        word.utf8.count <= 3 && keywords.contains(ASCII.lowercased(word))
    }

    static func describe(_ token: FilterLexer.Token) -> String {
        switch token.kind {
        case .leftParen: return "'('"
        case .rightParen: return "')'"
        case .leftBracket: return "'['"
        case .rightBracket: return "']'"
        case .string(let s): return JSONValue.string(s).serializedString(.compact)
        case .word(let w): return "'\(w)'"
        case .end: return "the end of the text"
        }
    }
}
