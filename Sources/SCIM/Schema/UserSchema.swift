extension Schema {
    /// The core User schema, `urn:ietf:params:scim:schemas:core:2.0:User`, with every
    /// attribute of RFC 7643 §4.1 and the characteristics of §8.7.1.
    public static let user = Schema(
        id: SCIMSchemaURN.user, name: "User", description: "User Account",
        attributes: [
            .string("userName", "Unique identifier for the User, typically used to authenticate to the service provider. REQUIRED.", required: true, uniqueness: .server),
            .complex("name", "The components of the user's real name.", [
                .string("formatted", "The full name, formatted for display."),
                .string("familyName", "The family name of the User (last name in most Western languages)."),
                .string("givenName", "The given name of the User (first name in most Western languages)."),
                .string("middleName", "The middle name(s) of the User."),
                .string("honorificPrefix", "The honorific prefix(es) of the User, or title."),
                .string("honorificSuffix", "The honorific suffix(es) of the User."),
            ]),
            .string("displayName", "The name of the User, suitable for display to end-users."),
            .string("nickName", "The casual way to address the user in real life."),
            .reference("profileUrl", "A fully qualified URL pointing to a page representing the User's online profile.", types: ["external"]),
            .string("title", "The user's title, such as \"Vice President\"."),
            .string("userType", "Identifies the relationship between the organization and the user (e.g. Employee, Contractor)."),
            .string("preferredLanguage", "The User's preferred written or spoken language (RFC 7231 Accept-Language format)."),
            .string("locale", "The User's default location for localisation (e.g. en-US)."),
            .string("timezone", "The User's time zone in IANA format (e.g. America/Los_Angeles)."),
            .boolean("active", "A Boolean value indicating the User's administrative status."),
            .string("password", "The User's cleartext password, only ever written (never returned).", mutability: .writeOnly, returned: .never),
            .multiValuedComplex(
                "emails", "Email addresses for the user.",
                value: .string("value", "Email address for the user."), typeValues: ["work", "home", "other"]),
            .multiValuedComplex(
                "phoneNumbers", "Phone numbers for the User.",
                value: .string("value", "Phone number of the User."), typeValues: ["work", "home", "mobile", "fax", "pager", "other"]),
            .multiValuedComplex(
                "ims", "Instant messaging addresses for the User.",
                value: .string("value", "Instant messaging address for the User."),
                typeValues: ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"]),
            .multiValuedComplex(
                "photos", "URLs of photos of the User.",
                value: .reference("value", "URL of a photo of the User.", types: ["external"]), typeValues: ["photo", "thumbnail"]),
            .complex("addresses", "A physical mailing address for this User.", multiValued: true, [
                .string("formatted", "The full mailing address, formatted for display."),
                .string("streetAddress", "The full street address component."),
                .string("locality", "The city or locality component."),
                .string("region", "The state or region component."),
                .string("postalCode", "The zip code or postal code component."),
                .string("country", "The country name component (ISO 3166-1 alpha-2)."),
                .string("type", "A label indicating the attribute's function.", canonicalValues: ["work", "home", "other"]),
                .boolean("primary", "A Boolean value indicating the 'primary' or preferred address."),
            ]),
            .complex("groups", "A list of groups to which the user belongs, derived from group membership.", multiValued: true, mutability: .readOnly, [
                .string("value", "The identifier of the User's group.", mutability: .readOnly),
                .reference("$ref", "The URI of the corresponding Group resource.", types: ["User", "Group"], mutability: .readOnly),
                .string("display", "A human-readable name, primarily used for display purposes.", mutability: .readOnly),
                .string("type", "A label indicating the membership: direct or indirect.", mutability: .readOnly, canonicalValues: ["direct", "indirect"]),
            ]),
            .multiValuedComplex(
                "entitlements", "A list of entitlements for the User.",
                value: .string("value", "The value of an entitlement."), typeValues: []),
            .multiValuedComplex(
                "roles", "A list of roles for the User.",
                value: .string("value", "The value of a role."), typeValues: []),
            .multiValuedComplex(
                "x509Certificates", "A list of certificates issued to the User.",
                value: AttributeDefinition(name: "value", type: .binary, description: "The value of an X.509 certificate (base64 DER)."),
                typeValues: []),
        ])
}
