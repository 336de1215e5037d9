/// Conversion between schema definitions and their RFC 7643 §7 JSON representation.
///
/// The same definitions drive the protocol logic and the `/Schemas` discovery output, so
/// what the server advertises is by construction what it enforces; extension schemas are
/// read from the same representation.
extension Schema {
    /// Reads a schema from its RFC 7643 §7 representation (`id`, `name`, `description`,
    /// `attributes`). Errors are `400 invalidValue` naming the offending attribute.
    /// Canonical values read this way are enforced (`enforcesCanonicalValues`).
    public init(json: JSONValue) throws(SCIMError) {
        guard case .object(let object) = json else { throw .invalidSyntax("a schema must be a JSON object") }
        guard let id = object.value(forAttribute: "id")?.stringValue, !id.isEmpty else {
            throw .invalidValue("schema: \"id\" (the schema URN) is required")
        }
        guard id.contains(":"), !id.contains(where: { $0 == " " || $0 == "[" || $0 == "]" || $0 == "\"" }) else {
            throw .invalidValue("schema \"\(id)\": the id must be a URN")
        }
        let name = object.value(forAttribute: "name")?.stringValue ?? ""
        let description = object.value(forAttribute: "description")?.stringValue ?? ""
        guard case .array(let list)? = object.value(forAttribute: "attributes") else {
            throw .invalidValue("schema \"\(id)\": \"attributes\" must be an array")
        }
        var attributes: [AttributeDefinition] = []
        for item in list {
            attributes.append(try AttributeDefinition(json: item, context: id, isSubAttribute: false))
        }
        try AttributeDefinition.checkUnique(attributes, context: id)
        self.init(id: id, name: name, description: description, attributes: attributes)
    }

    /// The RFC 7643 §7 representation, with `meta` pointing at `baseURL/Schemas/<id>`.
    public func json(baseURL: String) -> JSONValue {
        .object([
            "schemas": .array([.string(SCIMSchemaURN.schema)]),
            "id": .string(id),
            "name": .string(name),
            "description": .string(description),
            "attributes": .array(attributes.map(\.json)),
            "meta": .object([
                "resourceType": .string("Schema"),
                "location": .string(DiscoveryURL.join(baseURL, "Schemas", id)),
            ]),
        ])
    }
}

extension AttributeDefinition {
    /// Reads one attribute definition (RFC 7643 §7 `attributes` member).
    init(json: JSONValue, context: String, isSubAttribute: Bool) throws(SCIMError) {
        guard case .object(let object) = json else { throw .invalidValue("schema \(context): each attribute must be an object") }
        guard let name = object.value(forAttribute: "name")?.stringValue, AttributePath.isValidAttributeName(name) else {
            throw .invalidValue("schema \(context): an attribute has a missing or invalid \"name\"")
        }
        let where_ = "schema \(context), attribute \"\(name)\""
        func string(_ key: String) throws(SCIMError) -> String? {
            guard let value = object.value(forAttribute: key), !value.isNull else { return nil }
            guard let string = value.stringValue else { throw .invalidValue("\(where_): \"\(key)\" must be a string") }
            return string
        }
        func bool(_ key: String, default defaultValue: Bool) throws(SCIMError) -> Bool {
            guard let value = object.value(forAttribute: key), !value.isNull else { return defaultValue }
            guard let bool = Coercion.boolean(value) else { throw .invalidValue("\(where_): \"\(key)\" must be a boolean") }
            return bool
        }
        func strings(_ key: String) throws(SCIMError) -> [String] {
            guard let value = object.value(forAttribute: key), !value.isNull else { return [] }
            guard case .array(let items) = value else { throw .invalidValue("\(where_): \"\(key)\" must be an array of strings") }
            var result: [String] = []
            for item in items {
                guard let s = item.stringValue else { throw .invalidValue("\(where_): \"\(key)\" must be an array of strings") }
                result.append(s)
            }
            return result
        }
        func enumeration<E: RawRepresentable & CaseIterable>(_ key: String, default defaultValue: E) throws(SCIMError) -> E where E.RawValue == String {
            guard let raw = try string(key) else { return defaultValue }
            guard let value = E.allCases.first(where: { ASCII.equalsIgnoringCase($0.rawValue, raw) }) else {
                throw .invalidValue("\(where_): \"\(raw)\" is not a valid \(key)")
            }
            return value
        }
        guard try string("type") != nil else { throw .invalidValue("\(where_): \"type\" is required") }
        let type: AttributeType = try enumeration("type", default: .string)
        var subAttributes: [AttributeDefinition] = []
        if type == .complex {
            guard !isSubAttribute else { throw .invalidValue("\(where_): a sub-attribute cannot be complex") }
            guard case .array(let list)? = object.value(forAttribute: "subAttributes"), !list.isEmpty else {
                throw .invalidValue("\(where_): a complex attribute needs \"subAttributes\"")
            }
            for item in list {
                subAttributes.append(try AttributeDefinition(json: item, context: "\(context):\(name)", isSubAttribute: true))
            }
            try AttributeDefinition.checkUnique(subAttributes, context: "\(context):\(name)")
        }
        let canonicalValues = try strings("canonicalValues")
        self.init(
            name: name, type: type,
            multiValued: try bool("multiValued", default: false),
            description: try string("description") ?? "",
            required: try bool("required", default: false),
            caseExact: try bool("caseExact", default: false),
            mutability: try enumeration("mutability", default: .readWrite),
            returned: try enumeration("returned", default: .default),
            uniqueness: try enumeration("uniqueness", default: .none),
            canonicalValues: canonicalValues,
            // A schema someone wrote lists its values on purpose: they are enforced (see
            // `enforcesCanonicalValues`; the built-in definitions only suggest theirs).
            enforcesCanonicalValues: !canonicalValues.isEmpty,
            referenceTypes: try strings("referenceTypes"),
            subAttributes: subAttributes)
    }

    static func checkUnique(_ attributes: [AttributeDefinition], context: String) throws(SCIMError) {
        var seen: Set<String> = []
        for attribute in attributes where !seen.insert(ASCII.lowercased(attribute.name)).inserted {
            throw .invalidValue("schema \(context): attribute \"\(attribute.name)\" is defined twice")
        }
    }

    /// The RFC 7643 §7 representation of this attribute.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(name),
            "type": .string(type.rawValue),
            "multiValued": .bool(multiValued),
            "description": .string(description),
            "required": .bool(required),
            "mutability": .string(mutability.rawValue),
            "returned": .string(returned.rawValue),
        ]
        switch type {
        case .string, .reference, .binary, .dateTime:
            object["caseExact"] = .bool(caseExact)
            object["uniqueness"] = .string(uniqueness.rawValue)
        case .integer, .decimal:
            object["uniqueness"] = .string(uniqueness.rawValue)
        case .boolean, .complex:
            break
        }
        if !canonicalValues.isEmpty { object["canonicalValues"] = .array(canonicalValues.map(JSONValue.string)) }
        if type == .reference { object["referenceTypes"] = .array(referenceTypes.map(JSONValue.string)) }
        if type == .complex { object["subAttributes"] = .array(subAttributes.map(\.json)) }
        return .object(object)
    }
}
