/// Builds `meta.location` URLs for discovery and list responses.
///
/// The base URL (`https://host/scim/v2`) is known per request, not at build time, so every
/// discovery builder takes it as a string and joins paths here, without doubling slashes.
public enum DiscoveryURL {
    /// `join("https://h/scim/v2/", "Schemas", "urn:x")` → `https://h/scim/v2/Schemas/urn:x`.
    public static func join(_ base: String, _ components: String...) -> String {
        var result = base
        while result.hasSuffix("/") { result.removeLast() }
        for component in components {
            var part = Substring(component)
            while part.hasPrefix("/") { part = part.dropFirst() }
            result += "/" + part
        }
        return result
    }
}
