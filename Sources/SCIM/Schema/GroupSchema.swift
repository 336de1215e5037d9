extension Schema {
    /// The core Group schema, `urn:ietf:params:scim:schemas:core:2.0:Group` (RFC 7643 §4.2,
    /// §8.7.1). `displayName` is required as §4.2 says (the §8.7.1 listing says otherwise;
    /// a nameless group cannot be found by Okta or Entra). `members` carries `display`,
    /// which both IdPs send, in addition to the RFC's `value`, `$ref` and `type`.
    public static let group = Schema(
        id: SCIMSchemaURN.group, name: "Group", description: "Group",
        attributes: [
            .string("displayName", "A human-readable name for the Group. REQUIRED.", required: true),
            .complex("members", "A list of members of the Group.", multiValued: true, [
                .string("value", "Identifier of the member of this Group.", mutability: .immutable),
                .reference("$ref", "The URI corresponding to a SCIM resource that is a member of this Group.", types: ["User", "Group"], mutability: .immutable),
                .string("type", "A label indicating the type of resource, e.g. 'User' or 'Group'.", mutability: .immutable, canonicalValues: ["User", "Group"]),
                .string("display", "A human-readable name for the member, primarily used for display purposes."),
            ]),
        ])
}
