/// The lenient readings of client input that IdPs need (the README's "Connecting Okta and Entra ID"; each tested in PatchQuirksTests).
///
/// Entra sends booleans as strings (`"True"`, `"False"`) in both resources and PATCH
/// values; the rest of the module funnels every boolean read through here so the quirk is
/// handled once, for every boolean attribute, without a per-IdP switch.
public enum Coercion {
    /// `true`/`false`, or the strings `"true"`/`"false"` in any letter case; nil otherwise.
    public static func boolean(_ value: JSONValue) -> Bool? {
        switch value {
        case .bool(let b): return b
        case .string(let s):
            if ASCII.equalsIgnoringCase(s, "true") { return true }
            if ASCII.equalsIgnoringCase(s, "false") { return false }
            return nil
        default: return nil
        }
    }

    /// An integer from `.int`, or from a `.decimal` with no fractional part.
    public static func integer(_ value: JSONValue) -> Int64? {
        switch value {
        case .int(let i): return i
        case .decimal(let d) where d.rounded() == d && abs(d) < 9.2e18: return Int64(d)
        default: return nil
        }
    }
}
