/// One attribute of a schema with all of its RFC 7643 §7 characteristics.
///
/// It exists so that every piece of protocol logic — validation, filters, PATCH,
/// projection, sorting, discovery JSON — reads attribute behaviour from one definition
/// instead of hard-coding attribute names. Sub-attributes of complex attributes are
/// definitions too, looked up case-insensitively in O(1).
public struct AttributeDefinition: Sendable, Hashable {
    public var name: String
    public var type: AttributeType
    public var multiValued: Bool
    public var description: String
    public var required: Bool
    public var caseExact: Bool
    public var mutability: Mutability
    public var returned: Returned
    public var uniqueness: Uniqueness
    public var canonicalValues: [String]
    /// True when `canonicalValues` is the closed list of values the attribute takes, so
    /// that any other value is `400 invalidValue` (matched case-insensitively unless
    /// `caseExact`, stored in the canonical spelling).
    ///
    /// RFC 7643 §2.3.1 lets canonical values be suggestions, and for the built-in User,
    /// Group and Enterprise User definitions they are: Okta and Entra send `type` values
    /// such as `"Work"`, `"mobile2"` or `"direct report"` that the RFC never lists, and
    /// refusing them would break provisioning for a label. A deployment that declares a
    /// schema of its own in JSON (`Schema(json:)`) lists its values on purpose, so that
    /// reader sets this flag; it is not part of the §7 representation.
    public var enforcesCanonicalValues: Bool
    /// For `.reference` attributes: `User`, `Group`, `external`, `uri`, or a resource type name.
    public var referenceTypes: [String]
    public private(set) var subAttributes: [AttributeDefinition]
    private var subAttributeIndex: [String: Int]

    public init(
        name: String,
        type: AttributeType,
        multiValued: Bool = false,
        description: String = "",
        required: Bool = false,
        caseExact: Bool = false,
        mutability: Mutability = .readWrite,
        returned: Returned = .default,
        uniqueness: Uniqueness = .none,
        canonicalValues: [String] = [],
        enforcesCanonicalValues: Bool = false,
        referenceTypes: [String] = [],
        subAttributes: [AttributeDefinition] = []
    ) {
        self.name = name
        self.type = type
        self.multiValued = multiValued
        self.description = description
        self.required = required
        self.caseExact = caseExact
        self.mutability = mutability
        self.returned = returned
        self.uniqueness = uniqueness
        self.canonicalValues = canonicalValues
        self.enforcesCanonicalValues = enforcesCanonicalValues
        self.referenceTypes = referenceTypes
        self.subAttributes = subAttributes
        self.subAttributeIndex = AttributeDefinition.index(subAttributes)
    }

    static func index(_ attributes: [AttributeDefinition]) -> [String: Int] {
        var index: [String: Int] = [:]
        for (position, attribute) in attributes.enumerated() {
            index[ASCII.lowercased(attribute.name)] = position
        }
        return index
    }

    /// The sub-attribute named `name` (case-insensitive), if this is a complex attribute.
    public func subAttribute(named name: String) -> AttributeDefinition? {
        if let position = subAttributeIndex[name] ?? subAttributeIndex[ASCII.lowercased(name)] {
            return subAttributes[position]
        }
        return nil
    }

    /// Replaces the sub-attributes (keeps the lookup index in step).
    public mutating func setSubAttributes(_ attributes: [AttributeDefinition]) {
        subAttributes = attributes
        subAttributeIndex = AttributeDefinition.index(attributes)
    }

    /// True for complex attributes that have a `value` sub-attribute: a bare value given
    /// for them means `{"value": …}` (Entra's bare-string `manager`), and filters compare
    /// against `value` when no sub-attribute is named (`emails co "x"`).
    public var hasValueSubAttribute: Bool {
        type == .complex && subAttribute(named: "value") != nil
    }

    /// The canonical spelling of `text` among `canonicalValues` — compared
    /// case-insensitively unless `caseExact`, as filters compare — or nil when it is none
    /// of them.
    public func canonicalValue(matching text: String) -> String? {
        canonicalValues.first { StringMatch.equal($0, text, caseExact: caseExact) }
    }

    /// True when a stored value of this attribute never reaches a client: `writeOnly`
    /// (RFC 7643 §7: "never returned") or `returned: never`. Such values are kept in the
    /// store but must not leak through responses, filters or sort order either.
    public var isNeverReturned: Bool {
        mutability == .writeOnly || returned == .never
    }

    /// True for multi-valued references to other resources (`members`, `groups`): their
    /// elements are identified by `value` alone, so two elements with the same `value` are
    /// the same element.
    public var identifiesElementsByValue: Bool {
        guard multiValued, type == .complex, subAttribute(named: "value") != nil,
              let ref = subAttribute(named: "$ref") else { return false }
        return !ref.referenceTypes.isEmpty && !ref.referenceTypes.contains("external") && !ref.referenceTypes.contains("uri")
    }
}

// MARK: - Compact constructors used by the built-in schemas

extension AttributeDefinition {
    static func string(
        _ name: String, _ description: String = "", required: Bool = false, caseExact: Bool = false,
        mutability: Mutability = .readWrite, returned: Returned = .default, uniqueness: Uniqueness = .none,
        canonicalValues: [String] = [], multiValued: Bool = false
    ) -> AttributeDefinition {
        AttributeDefinition(
            name: name, type: .string, multiValued: multiValued, description: description, required: required,
            caseExact: caseExact, mutability: mutability, returned: returned, uniqueness: uniqueness,
            canonicalValues: canonicalValues)
    }

    static func boolean(_ name: String, _ description: String = "", mutability: Mutability = .readWrite) -> AttributeDefinition {
        AttributeDefinition(name: name, type: .boolean, description: description, mutability: mutability)
    }

    static func reference(
        _ name: String, _ description: String = "", types: [String], mutability: Mutability = .readWrite,
        caseExact: Bool = false
    ) -> AttributeDefinition {
        AttributeDefinition(
            name: name, type: .reference, description: description, caseExact: caseExact, mutability: mutability,
            referenceTypes: types)
    }

    static func complex(
        _ name: String, _ description: String = "", multiValued: Bool = false, required: Bool = false,
        mutability: Mutability = .readWrite, returned: Returned = .default, _ subAttributes: [AttributeDefinition]
    ) -> AttributeDefinition {
        AttributeDefinition(
            name: name, type: .complex, multiValued: multiValued, description: description, required: required,
            mutability: mutability, returned: returned, subAttributes: subAttributes)
    }

    /// The usual `value`/`display`/`type`/`primary` quartet of a multi-valued complex attribute.
    static func multiValuedComplex(
        _ name: String, _ description: String, value: AttributeDefinition, typeValues: [String]
    ) -> AttributeDefinition {
        .complex(name, description, multiValued: true, [
            value,
            .string("display", "A human-readable name, primarily used for display purposes."),
            .string("type", "A label indicating the attribute's function.", canonicalValues: typeValues),
            .boolean("primary", "A Boolean value indicating the 'primary' or preferred attribute value for this attribute. The primary attribute value 'true' MUST appear no more than once."),
        ])
    }
}
