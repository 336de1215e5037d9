/// A reference to an attribute in SCIM "attribute notation" (RFC 7644 §3.10), optionally
/// with a value filter as PATCH paths allow (§3.5.2): `userName`, `name.givenName`,
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`,
/// `emails[type eq "work"].value`.
///
/// Filters, PATCH, projection and sorting all name attributes this way. When a path was
/// parsed or resolved *for a resource type*, its names are in the schema's canonical case
/// and `schema` is nil for core attributes and the canonical URN for extension
/// attributes — so `urn:…:core:2.0:User:USERNAME` and `userName` become the same value
/// and the Directory can compare paths with `==` to pick an index.
public struct AttributePath: Sendable, Hashable, CustomStringConvertible {
    /// The extension schema URN (nil for core attributes once resolved).
    public var schema: String?
    /// The attribute name.
    public var attribute: String
    /// The sub-attribute name, for complex attributes.
    public var subAttribute: String?
    /// A value selection filter (`emails[type eq "work"]`), PATCH paths only. Paths inside
    /// it name sub-attributes of `attribute`.
    public var valueFilter: Filter?

    public init(schema: String? = nil, attribute: String, subAttribute: String? = nil, valueFilter: Filter? = nil) {
        self.schema = schema
        self.attribute = attribute
        self.subAttribute = subAttribute
        self.valueFilter = valueFilter
    }

    /// The path without its value filter in dotted form: `userName`, `name.givenName`,
    /// `emails.value`, `urn:…:enterprise:2.0:User:department`, `urn:…:User:manager.value`.
    /// This is the form `AttributeChange.path` and index keys use.
    public var dotted: String {
        var text = schema.map { $0 + ":" } ?? ""
        text += attribute
        if let subAttribute { text += "." + subAttribute }
        return text
    }

    /// The path in attribute notation, with the value filter if any:
    /// `emails[type eq "work"].value`.
    public var description: String {
        var text = schema.map { $0 + ":" } ?? ""
        text += attribute
        if let valueFilter { text += "[" + valueFilter.description + "]" }
        if let subAttribute { text += "." + subAttribute }
        return text
    }

    /// This path without the value filter.
    public var withoutFilter: AttributePath {
        AttributePath(schema: schema, attribute: attribute, subAttribute: subAttribute)
    }

    /// ATTRNAME = ALPHA *(nameChar), nameChar = "-" / "_" / DIGIT / ALPHA (RFC 7644 §3.4.2.2);
    /// `$ref` is accepted too, being an attribute name RFC 7643 itself uses.
    public static func isValidAttributeName(_ name: String) -> Bool {
        if name == "$ref" || ASCII.equalsIgnoringCase(name, "$ref") { return true }
        var first = true
        for byte in name.utf8 {
            let isAlpha = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            if first {
                guard isAlpha else { return false }
                first = false
            } else {
                let isDigit = byte >= 0x30 && byte <= 0x39
                guard isAlpha || isDigit || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") else { return false }
            }
        }
        return !first
    }

    /// Splits `[URI ":"] ATTRNAME ["." subAttr]` (no filter). The URN is everything before
    /// the last `:`, so URNs containing dots (`…:2.0:User`) are handled. Nil if malformed.
    static func parseNotation(_ text: String) -> AttributePath? {
        var schema: String?
        var rest = Substring(text)
        if let colon = text.lastIndex(of: ":") {
            schema = String(text[..<colon])
            rest = text[text.index(after: colon)...]
            guard let s = schema, !s.isEmpty, !s.hasSuffix(":"), !s.hasPrefix(":") else { return nil }
        }
        let parts = rest.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        let attribute = String(parts[0])
        guard isValidAttributeName(attribute) else { return nil }
        var sub: String?
        if parts.count == 2 {
            sub = String(parts[1])
            guard isValidAttributeName(sub!) else { return nil }
        }
        return AttributePath(schema: schema, attribute: attribute, subAttribute: sub)
    }

    /// Parses a PATCH `path` (RFC 7644 §3.5.2: `attrPath / valuePath [subAttr]`) without a
    /// schema: names are kept as written. Errors are `400 invalidPath` saying where.
    public static func parse(_ text: String) throws(SCIMError) -> AttributePath {
        try FilterSyntaxParser.parsePath(text, for: nil)
    }

    /// Parses a PATCH `path` and resolves it against `type`: names become canonical, the
    /// value filter is checked against the attribute's sub-attributes. Unknown attributes
    /// are `400 invalidPath`.
    public static func parse(_ text: String, for type: ResourceType) throws(SCIMError) -> AttributePath {
        try FilterSyntaxParser.parsePath(text, for: type)
    }
}
