/// A SCIM schema (RFC 7643 §7): a URN and its attributes.
///
/// Core schemas (User, Group) hold a resource's top-level attributes; extension schemas
/// (Enterprise User, custom namespaces such as Okta's `…:extension:acme:2.0:User`) hold
/// attributes nested under their URN in the resource.
public struct Schema: Sendable, Hashable {
    /// The schema URN, e.g. `urn:ietf:params:scim:schemas:core:2.0:User`.
    public var id: String
    public var name: String
    public var description: String
    public private(set) var attributes: [AttributeDefinition]
    private var attributeIndex: [String: Int]

    public init(id: String, name: String, description: String = "", attributes: [AttributeDefinition]) {
        self.id = id
        self.name = name
        self.description = description
        self.attributes = attributes
        self.attributeIndex = AttributeDefinition.index(attributes)
    }

    /// The attribute named `name`, compared case-insensitively.
    public func attribute(named name: String) -> AttributeDefinition? {
        if let position = attributeIndex[name] ?? attributeIndex[ASCII.lowercased(name)] {
            return attributes[position]
        }
        return nil
    }
}

/// The well-known URNs of RFC 7643/7644, spelled once so that no module types them by hand.
public enum SCIMSchemaURN {
    public static let user = "urn:ietf:params:scim:schemas:core:2.0:User"
    public static let group = "urn:ietf:params:scim:schemas:core:2.0:Group"
    public static let enterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    public static let schema = "urn:ietf:params:scim:schemas:core:2.0:Schema"
    public static let resourceType = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
    public static let serviceProviderConfig = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
    public static let listResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
    public static let searchRequest = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
    public static let patchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    public static let error = "urn:ietf:params:scim:api:messages:2.0:Error"
    public static let bulkRequest = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
    public static let bulkResponse = "urn:ietf:params:scim:api:messages:2.0:BulkResponse"
}
