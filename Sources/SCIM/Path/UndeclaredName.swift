/// How a name under an extension URN no schema declares is read, when it could be read
/// two ways.
///
/// Without a schema nothing says where a URN ends: `urn:…:Custom:2.0:User:costCenter`
/// is the attribute `costCenter` of the extension `urn:…:Custom:2.0:User` (how Entra sends
/// custom attributes, as top-level keys and PATCH paths), but by the same split
/// `urn:…:Custom:2.0:User` would be the attribute `User` of `urn:…:Custom:2.0`. Validation
/// and PATCH decide it here, the same way, so both shapes of one write store the same
/// document.
enum UndeclaredName {
    /// True when `name` (given `value`, nil for a `remove`) names a whole extension object
    /// rather than one attribute of one. `isExtension(urn)` says whether the request or the
    /// resource already shows `urn` to hold an extension (a `schemas` entry, another key, a
    /// stored object).
    ///
    /// In order: a name already known as an extension is one; a name that does not split
    /// into `URN:attribute[.sub]` with a URN before the colon is one (`urn:acme`); one with
    /// a sub-attribute is not; one whose URN part is a known extension is its attribute;
    /// otherwise an object value is a whole extension (Okta's custom namespaces, kept as
    /// sent since before undeclared names were split) and anything else an attribute.
    static func namesWholeExtension(_ name: String, value: JSONValue?, isExtension: (String) -> Bool) -> Bool {
        if isExtension(name) { return true }
        guard let path = AttributePath.parseNotation(name), let urn = path.schema, urn.utf8.contains(UInt8(ascii: ":")) else {
            return true
        }
        if path.subAttribute != nil { return false }
        if isExtension(urn) { return false }
        return value?.objectValue != nil
    }
}
