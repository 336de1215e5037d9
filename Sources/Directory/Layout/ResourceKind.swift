import SCIM

/// What a kind of resource is, said once: its SCIM type, the attribute that names it, its
/// folder and file in the store, its noun in commit subjects, the derived list of the other
/// side of its memberships, and what the indexes keep of it. Everything that differs
/// between users and groups is read from here; a third kind (a custom resource type) is one
/// more value, not thirty edits.
public struct ResourceKind: Sendable, Hashable, CustomStringConvertible {
    /// The SCIM resource type's id (`User`): also a member's `type`, the first half of the
    /// `SCIM-Resource` trailer, and `resourceType` in `scimgit diff --json`.
    public let typeID: String
    /// What commit subjects and the command line call one resource (`user`).
    public let noun: String
    /// The attribute a resource of this kind is named by and unique by (case-insensitively).
    public let nameAttribute: String
    /// The read-only attribute listing this side's memberships: a user's `groups`, a
    /// group's `members` (RFC 7643 §4.1.2, §4.2). Derived from membership files, never stored.
    public let derivedAttribute: String
    /// Whether resources of this kind contain members (and so are folders in the store).
    public let holdsMembers: Bool
    /// The top folder of the working tree holding this kind (`Users`).
    public let folder: String
    /// The attributes kept in equality indexes, with whether values compare case-exactly
    /// (the schema's `caseExact`).
    let indexedPaths: [(path: String, caseExact: Bool)]
    /// The byte standing for this kind in the index snapshot file.
    let snapshotCode: UInt8
    /// The core resource type, for a registry that lacks it.
    let standardType: ResourceType

    public static let user = ResourceKind(
        typeID: "User", noun: "user", nameAttribute: "userName", derivedAttribute: "groups", holdsMembers: false, folder: "Users",
        indexedPaths: [("userName", false), ("externalId", true), ("emails.value", false), ("displayName", false), ("active", true)],
        snapshotCode: 0, standardType: .user)

    public static let group = ResourceKind(
        typeID: "Group", noun: "group", nameAttribute: "displayName", derivedAttribute: "members", holdsMembers: true, folder: "Groups",
        indexedPaths: [("displayName", false), ("externalId", true)],
        snapshotCode: 1, standardType: .group)

    /// Every kind the store holds, in the order lists and diffs show them.
    public static let all: [ResourceKind] = [.user, .group]

    /// The kind of a SCIM resource type (nil: a type the store does not hold).
    public static func of(_ type: ResourceType) -> ResourceKind? {
        named(type.id)
    }

    /// The kind whose type id is `typeID`, compared without case (a member's `"type"`).
    public static func named(_ typeID: String) -> ResourceKind? {
        let lowered = typeID.lowercased()
        return all.first { $0.typeID.lowercased() == lowered }
    }

    static func withSnapshotCode(_ code: UInt8) -> ResourceKind? {
        all.first { $0.snapshotCode == code }
    }

    /// The kind's resource type as `registry` declares it (with its extensions).
    public func resourceType(in registry: SchemaRegistry) -> ResourceType {
        registry.resourceType(id: typeID) ?? standardType
    }

    /// A resource's own file: `Users/3f/a8/<id>.json`, or for a kind that holds members,
    /// `Groups/9c/0e/<id>/group.json` beside its `members/` folder.
    public func path(of id: String) -> String {
        holdsMembers ? folder(of: id) + "/\(noun).json" : "\(folder)/\(StoreLayout.fanOut(id))/\(id).json"
    }

    /// Everything one resource is in the store: its file, or its folder with its members.
    public func folder(of id: String) -> String {
        holdsMembers ? "\(folder)/\(StoreLayout.fanOut(id))/\(id)" : path(of: id)
    }

    /// The value of the name attribute in a stored document ("" when missing).
    func name(in document: [String: JSONValue]) -> String {
        document[nameAttribute]?.stringValue ?? ""
    }

    /// The API endpoint of this kind relative to the base URL (`/Users`), for `$ref` links.
    public var endpoint: String { standardType.endpoint }

    public var description: String { typeID }

    public static func == (lhs: ResourceKind, rhs: ResourceKind) -> Bool { lhs.typeID == rhs.typeID }
    public func hash(into hasher: inout Hasher) { hasher.combine(typeID) }
}
