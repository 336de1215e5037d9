import SCIM

/// A custom extension schema as a store keeps it in `Schemas/<urn>.json`: the schema's
/// RFC 7643 §7 representation plus the two facts of its attachment that RFC 7643 §6 puts
/// in the resource type (`schemaExtensions`): the type it extends and whether every
/// resource of that type must carry it. Both live in the one file, so one diff in review
/// says everything about a change, and a `git revert` of it undoes all of it.
///
///     {
///       "id": "urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User",
///       "name": "CustomExtension",
///       "resourceType": "User",
///       "required": false,
///       "attributes": [ { "name": "costCenter", "type": "string", … } ]
///     }
public struct SchemaDeclaration: Sendable, Hashable {
    public var schema: Schema
    /// The id of the resource type it extends (`User`, `Group`), as the registry spells it.
    public var resourceType: String
    public var required: Bool

    public init(schema: Schema, resourceType: String, required: Bool) {
        self.schema = schema
        self.resourceType = resourceType
        self.required = required
    }

    /// Reads a declaration file. `resourceType` is required; `required` defaults to false.
    public init(bytes: [UInt8]) throws(SCIMError) {
        let document = try JSONValue.parse(bytes)
        guard case .object(let object) = document else { throw .invalidSyntax("a schema file must be a JSON object") }
        let schema = try Schema(json: document)
        guard let type = object.value(forAttribute: "resourceType")?.stringValue, !type.isEmpty else {
            throw .invalidValue("schema \(schema.id): \"resourceType\" (User or Group: the resource type it extends) is required")
        }
        var required = false
        if let value = object.value(forAttribute: "required"), !value.isNull {
            guard let flag = value.boolValue else { throw .invalidValue("schema \(schema.id): \"required\" must be true or false") }
            required = flag
        }
        self.init(schema: schema, resourceType: type, required: required)
    }

    /// The schemas of a document a person hands to `scimgit schema add`: one schema
    /// object, an array of them, or a ListResponse of them (what another server's
    /// `/Schemas` answers). The command line says what they extend, whatever the file says.
    public static func documents(in bytes: [UInt8], resourceType: String, required: Bool) throws(SCIMError) -> [SchemaDeclaration] {
        let document = try JSONValue.parse(bytes)
        let items: [JSONValue]
        switch document {
        case .array(let array): items = array
        case .object(let object):
            items = object.value(forAttribute: "Resources")?.arrayValue ?? [document]
        default:
            throw .invalidSyntax("a schema document must be an object, an array of objects or a ListResponse")
        }
        guard !items.isEmpty else { throw .invalidValue("the document holds no schema") }
        var declarations: [SchemaDeclaration] = []
        for item in items {
            declarations.append(SchemaDeclaration(schema: try Schema(json: item), resourceType: resourceType, required: required))
        }
        return declarations
    }

    /// The file's bytes: canonical JSON (sorted keys, one member per line), so adding the
    /// same schema again changes nothing and a change diffs attribute by attribute.
    /// `/Schemas` answers are built from `schema`, never from these bytes.
    public var bytes: [UInt8] {
        JSONValue.object([
            "schemas": .array([.string(SCIMSchemaURN.schema)]),
            "id": .string(schema.id),
            "name": .string(schema.name),
            "description": .string(schema.description),
            "resourceType": .string(resourceType),
            "required": .bool(required),
            "attributes": .array(schema.attributes.map(\.json)),
        ]).serialized(.canonical)
    }
}
