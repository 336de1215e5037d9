/// Builds the discovery documents — `/ServiceProviderConfig`, `/ResourceTypes`,
/// `/Schemas` (RFC 7644 §4, RFC 7643 §5–7) — from the same definitions the protocol logic
/// enforces, each with `meta.location` under the request's base URL.
public enum Discovery {
    /// `/ServiceProviderConfig` (RFC 7643 §5, §8.5).
    public static func serviceProviderConfig(_ settings: ServiceProviderSettings, baseURL: String) -> JSONValue {
        var object: [String: JSONValue] = [
            "schemas": .array([.string(SCIMSchemaURN.serviceProviderConfig)]),
            "patch": .object(["supported": .bool(settings.patchSupported)]),
            "bulk": .object([
                "supported": .bool(settings.bulkSupported),
                "maxOperations": .int(Int64(settings.bulkMaxOperations)),
                "maxPayloadSize": .int(Int64(settings.bulkMaxPayloadSize)),
            ]),
            "filter": .object(["supported": .bool(settings.filterSupported), "maxResults": .int(Int64(settings.filterMaxResults))]),
            "changePassword": .object(["supported": .bool(settings.changePasswordSupported)]),
            "sort": .object(["supported": .bool(settings.sortSupported)]),
            "etag": .object(["supported": .bool(settings.etagSupported)]),
            "authenticationSchemes": .array(settings.authenticationSchemes.map(\.json)),
            "meta": .object([
                "resourceType": "ServiceProviderConfig",
                "location": .string(DiscoveryURL.join(baseURL, "ServiceProviderConfig")),
            ]),
        ]
        if let documentation = settings.documentationURI { object["documentationUri"] = .string(documentation) }
        if let pagination = settings.pagination { object["pagination"] = pagination.json }
        return .object(object)
    }

    /// One resource type (RFC 7643 §6, §8.6).
    public static func resourceType(_ type: ResourceType, baseURL: String) -> JSONValue {
        .object([
            "schemas": .array([.string(SCIMSchemaURN.resourceType)]),
            "id": .string(type.id),
            "name": .string(type.name),
            "endpoint": .string(type.endpoint),
            "description": .string(type.description),
            "schema": .string(type.schema.id),
            "schemaExtensions": .array(type.extensions.map { .object(["schema": .string($0.schema.id), "required": .bool($0.required)]) }),
            "meta": .object([
                "resourceType": "ResourceType",
                "location": .string(DiscoveryURL.join(baseURL, "ResourceTypes", type.id)),
            ]),
        ])
    }

    /// `/ResourceTypes` as a ListResponse.
    public static func resourceTypes(_ registry: SchemaRegistry, baseURL: String) -> JSONValue {
        let items = registry.resourceTypes.map { resourceType($0, baseURL: baseURL) }
        return ListResponse(totalResults: items.count, startIndex: 1, resources: items).json
    }

    /// `/ResourceTypes/{id}`, or nil for an unknown id.
    public static func resourceType(id: String, in registry: SchemaRegistry, baseURL: String) -> JSONValue? {
        registry.resourceType(id: id).map { resourceType($0, baseURL: baseURL) }
    }

    /// `/Schemas` as a ListResponse (the resource schemas: core, extensions).
    public static func schemas(_ registry: SchemaRegistry, baseURL: String) -> JSONValue {
        let items = registry.schemas.map { $0.json(baseURL: baseURL) }
        return ListResponse(totalResults: items.count, startIndex: 1, resources: items).json
    }

    /// `/Schemas/{urn}`, or nil for an unknown URN.
    public static func schema(id: String, in registry: SchemaRegistry, baseURL: String) -> JSONValue? {
        registry.schema(id: id).map { $0.json(baseURL: baseURL) }
    }
}
