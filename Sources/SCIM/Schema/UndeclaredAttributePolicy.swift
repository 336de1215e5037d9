/// What a write does with attributes no schema of the resource type declares.
///
/// RFC 7644 §3.3 lets a server ignore attributes it does not support, and IdPs routinely
/// send ones a target never mapped (Okta's custom namespaces, Entra's ADSCIM group schema),
/// so by default scimgit stays out of their way. A deployment that declares its custom
/// attributes in the store can ask for the opposite: a typo in an IdP's attribute mapping
/// (`urn:…:CustomExtenson:2.0:User:costCenter`) is then refused where it is made, instead
/// of being stored under a URN nobody reads, or dropped.
public enum UndeclaredAttributePolicy: String, Sendable, Hashable, CaseIterable {
    /// Lenient (the default): an attribute under an extension URN no schema declares is
    /// kept as sent, nested under its URN, with the URN listed in `schemas`; an unknown
    /// attribute of the core schema or of a declared extension (or an unknown
    /// sub-attribute) is ignored.
    case keep
    /// Strict (`serve --strict-schemas`): each of those is `400 invalidSyntax` naming it —
    /// an undeclared extension URN as a nested object, as the prefix of a top-level key,
    /// in `schemas` or in a PATCH path or value, and an unknown attribute or sub-attribute.
    /// Only what clients send is checked: a stored resource holding undeclared attributes
    /// from before stays readable and patchable.
    case refuse
}
