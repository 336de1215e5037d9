extension Schema {
    /// The Enterprise User extension, `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`
    /// (RFC 7643 §4.3, §8.7.1). `manager.value` is not required (errata 4704: clients
    /// clear the manager with `{"value": ""}`, which Entra does).
    public static let enterpriseUser = Schema(
        id: SCIMSchemaURN.enterpriseUser, name: "EnterpriseUser", description: "Enterprise User",
        attributes: [
            .string("employeeNumber", "Numeric or alphanumeric identifier assigned to a person by the organization."),
            .string("costCenter", "Identifies the name of a cost center."),
            .string("organization", "Identifies the name of an organization."),
            .string("division", "Identifies the name of a division."),
            .string("department", "Identifies the name of a department."),
            .complex("manager", "The User's manager.", [
                .string("value", "The id of the SCIM resource representing the User's manager."),
                .reference("$ref", "The URI of the SCIM resource representing the User's manager.", types: ["User"]),
                .string("displayName", "The displayName of the User's manager.", mutability: .readOnly),
            ]),
        ])
}
