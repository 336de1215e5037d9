/// The rule for tenant names: the name is a segment of every Base URL the tenant's
/// identity provider is given (`/scim/v2/acme`) and the name of the tenant's store folder
/// (`ROOT/acme`), so it is lowercase letters, digits and `-`, 1–63 characters (a DNS
/// label), starting with a letter or digit, and never a SCIM endpoint name (a tenant named
/// `Users` would make `/scim/v2/Users` mean two things). Nothing else can reach a path.
public enum TenantName {
    public static let maxLength = 63

    /// Endpoint names no tenant may take, compared without case.
    public static let reserved: Set<String> = [
        "users", "groups", "schemas", "resourcetypes", "serviceproviderconfig", "bulk", "me", ".search",
    ]

    public static func isValid(_ name: String) -> Bool {
        (try? validate(name)) != nil
    }

    public static func validate(_ name: String) throws(TenantNameError) {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= maxLength else {
            throw TenantNameError("a tenant name has 1 to \(maxLength) characters")
        }
        let allowed = bytes.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
        }
        guard allowed, bytes[0] != UInt8(ascii: "-") else {
            throw TenantNameError("a tenant name is lowercase letters, digits and '-', starting with a letter or digit")
        }
        guard !reserved.contains(name.lowercased()) else {
            throw TenantNameError("\(name) is a SCIM endpoint name and cannot name a tenant")
        }
    }
}

/// A tenant name that breaks `TenantName`'s rule; the message never quotes unsafe input.
public struct TenantNameError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
