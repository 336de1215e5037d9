import SCIM

/// What a kind of resource is, said once: its SCIM type, the attribute that names it, its
/// folder and file in the store, its noun in commit subjects, the derived list of the other
/// side of its memberships, and what the indexes keep of it. Everything that differs
/// between users and groups is read from here; a third kind (a custom resource type) is one
/// more entry of `facts`, not thirty edits.
///
/// The value itself is one byte (an index into `facts`): every resource summary in the
/// indexes holds one, and a dictionary keyed by kind hashes a byte, not a string.
public struct ResourceKind: Sendable, Hashable, CustomStringConvertible {
    private let code: UInt8

    /// The facts of one kind.
    private final class Facts: Sendable {
        let typeID: String
        let noun: String
        let nameAttribute: String
        let derivedAttribute: String
        let holdsMembers: Bool
        let folder: String
        let indexedPaths: [(path: String, caseExact: Bool)]
        let standardType: ResourceType
        let fileName: String

        init(
            typeID: String, noun: String, nameAttribute: String, derivedAttribute: String, holdsMembers: Bool, folder: String,
            indexedPaths: [(path: String, caseExact: Bool)], standardType: ResourceType
        ) {
            self.typeID = typeID
            self.noun = noun
            self.nameAttribute = nameAttribute
            self.derivedAttribute = derivedAttribute
            self.holdsMembers = holdsMembers
            self.folder = folder
            self.indexedPaths = indexedPaths
            self.standardType = standardType
            fileName = noun + ".json"
        }
    }

    /// Every kind's facts, by code. The code is also the byte standing for the kind in the
    /// index snapshot file, so entries are only ever appended.
    private static let facts: [Facts] = [
        Facts(
            typeID: "User", noun: "user", nameAttribute: "userName", derivedAttribute: "groups", holdsMembers: false, folder: "Users",
            indexedPaths: [("userName", false), ("externalId", true), ("emails.value", false), ("displayName", false), ("active", true)],
            standardType: .user),
        Facts(
            typeID: "Group", noun: "group", nameAttribute: "displayName", derivedAttribute: "members", holdsMembers: true, folder: "Groups",
            indexedPaths: [("displayName", false), ("externalId", true)],
            standardType: .group),
    ]

    public static let user = ResourceKind(code: 0)
    public static let group = ResourceKind(code: 1)

    /// Every kind the store holds, in the order lists and diffs show them.
    public static let all: [ResourceKind] = (0..<facts.count).map { ResourceKind(code: UInt8($0)) }

    private var entry: Facts { ResourceKind.facts[Int(code)] }

    /// The SCIM resource type's id (`User`): also a member's `type`, the first half of the
    /// `SCIM-Resource` trailer, and `resourceType` in `scimgit diff --json`.
    public var typeID: String { entry.typeID }
    /// What commit subjects and the command line call one resource (`user`).
    public var noun: String { entry.noun }
    /// The attribute a resource of this kind is named by and unique by (case-insensitively).
    public var nameAttribute: String { entry.nameAttribute }
    /// The read-only attribute listing this side's memberships: a user's `groups`, a
    /// group's `members` (RFC 7643 §4.1.2, §4.2). Derived from membership files, never stored.
    public var derivedAttribute: String { entry.derivedAttribute }
    /// Whether resources of this kind contain members (and so are folders in the store).
    public var holdsMembers: Bool { entry.holdsMembers }
    /// The top folder of the working tree holding this kind (`Users`).
    public var folder: String { entry.folder }
    /// The attributes kept in equality indexes, with whether values compare case-exactly
    /// (the schema's `caseExact`).
    var indexedPaths: [(path: String, caseExact: Bool)] { entry.indexedPaths }
    /// The byte standing for this kind in the index snapshot file.
    var snapshotCode: UInt8 { code }

    /// The kind of a SCIM resource type (nil: a type the store does not hold).
    public static func of(_ type: ResourceType) -> ResourceKind? {
        all.first { $0.entry.typeID == type.id } ?? named(type.id)
    }

    /// The kind of `type`, or the 404 a request for a type this store does not keep gets.
    static func required(_ type: ResourceType) throws(SCIMError) -> ResourceKind {
        guard let kind = of(type) else { throw SCIMError.notFound("no resource type \(type.id)") }
        return kind
    }

    /// The kind whose type id is `typeID`, compared without case (a member's `"type"`).
    public static func named(_ typeID: String) -> ResourceKind? {
        let lowered = typeID.lowercased()
        return all.first { $0.entry.typeID.lowercased() == lowered }
    }

    static func withSnapshotCode(_ code: UInt8) -> ResourceKind? {
        Int(code) < facts.count ? ResourceKind(code: code) : nil
    }

    /// The kind's resource type as `registry` declares it (with its extensions).
    public func resourceType(in registry: SchemaRegistry) -> ResourceType {
        registry.resourceType(id: typeID) ?? entry.standardType
    }

    /// A resource's own file: `Users/3f/a8/<id>.json`, or for a kind that holds members,
    /// `Groups/9c/0e/<id>/group.json` beside its `members/` folder.
    public func path(of id: String) -> String {
        let entry = self.entry
        return entry.holdsMembers ? folder(of: id) + "/" + entry.fileName : entry.folder + "/" + StoreLayout.fanOut(id) + "/" + id + ".json"
    }

    /// Everything one resource is in the store: its file, or its folder with its members.
    public func folder(of id: String) -> String {
        let entry = self.entry
        return entry.holdsMembers ? entry.folder + "/" + StoreLayout.fanOut(id) + "/" + id : path(of: id)
    }

    /// The value of the name attribute in a stored document ("" when missing).
    func name(in document: [String: JSONValue]) -> String {
        document[entry.nameAttribute]?.stringValue ?? ""
    }

    /// The API endpoint of this kind relative to the base URL (`/Users`), for `$ref` links.
    public var endpoint: String { entry.standardType.endpoint }

    public var description: String { typeID }
}
