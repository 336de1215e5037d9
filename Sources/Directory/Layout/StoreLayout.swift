/// Where each SCIM resource lives in the git working tree: the one place that turns ids
/// into paths and paths back into ids.
///
/// Two levels of fan-out by the id's first four hex characters keep every folder small up
/// to millions of users (a flat folder drops to 5 commits/s at 100k users, because each
/// commit rewrites the whole folder's tree):
///
///     Users/3f/a8/3fa85f64-5717-4562-b3fc-2c963f66afa6.json
///     Groups/9c/0e/9c0e…/group.json                 the group's own attributes
///     Groups/9c/0e/9c0e…/members/3f/3fa85f64-….json   one small file per membership
///
/// A group's members are one file each, so a membership change on a 50,000-member group
/// writes one tiny file, and `git log -- Groups/9c/0e/9c0e…/members` is its membership
/// history. Ids are lowercase UUIDs and the only thing a path is built from: nothing a
/// client sends can reach the file system.
public enum StoreLayout {
    /// Folders scimgit owns in the working tree (recovery may delete uncommitted files there).
    public static let ownedFolders = ResourceKind.all.map(\.folder)

    /// A group's `members/` folder: one file per member.
    public static func membersFolder(ofGroup id: String) -> String {
        ResourceKind.group.folder(of: id) + "/members"
    }

    public static func membershipPath(group: String, member: String) -> String {
        "\(membersFolder(ofGroup: group))/\(member.prefix(2))/\(member).json"
    }

    /// What a path in the store is.
    public enum Entry: Equatable, Sendable {
        /// A resource's own file (`ResourceKind.path(of:)`).
        case resource(ResourceKind, id: String)
        case membership(group: String, member: String)
    }

    /// Parses a working-tree path; nil for anything that is not a resource file
    /// (README.md, stray files).
    public static func entry(at path: String) -> Entry? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 4, let kind = ResourceKind.all.first(where: { $0.folder == parts[0] }) else { return nil }
        if !kind.holdsMembers {
            guard parts.count == 4, parts[3].hasSuffix(".json") else { return nil }
            let id = String(parts[3].dropLast(5))
            guard isValidID(id), fanOut(id) == parts[1] + "/" + parts[2] else { return nil }
            return .resource(kind, id: id)
        }
        guard parts.count >= 5 else { return nil }
        let id = parts[3]
        guard isValidID(id), fanOut(id) == parts[1] + "/" + parts[2] else { return nil }
        if parts.count == 5, parts[4] == "\(kind.noun).json" { return .resource(kind, id: id) }
        if parts.count == 7, parts[4] == "members", parts[6].hasSuffix(".json") {
            let member = String(parts[6].dropLast(5))
            guard isValidID(member), member.hasPrefix(parts[5]), parts[5].count == 2 else { return nil }
            return .membership(group: id, member: member)
        }
        return nil
    }

    /// A lowercase UUID (8-4-4-4-12 hex digits): the only ids scimgit issues.
    public static func isValidID(_ id: String) -> Bool {
        let utf8 = id.utf8
        guard utf8.count == 36 else { return false }
        for (position, byte) in utf8.enumerated() {
            switch position {
            case 8, 13, 18, 23:
                if byte != UInt8(ascii: "-") { return false }
            default:
                let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
                let isHex = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f")
                if !isDigit && !isHex { return false }
            }
        }
        return true
    }

    /// `3f/a8` for `3fa85f64-…`: the two folder levels a resource of that id lives under.
    static func fanOut(_ id: String) -> String {
        let utf8 = Array(id.utf8)
        return String(decoding: utf8[0..<2], as: UTF8.self) + "/" + String(decoding: utf8[2..<4], as: UTF8.self)
    }

    /// The README.md of a new store: what someone browsing the repository needs to know.
    public static let readme = """
    # scimgit store

    This repository is the database of a [scimgit](https://github.com/scimgit/scimgit) SCIM 2.0
    server. Every user and group is a JSON file; every change an identity provider (Okta,
    Entra ID, …) made is one commit, authored by the client that sent it.

    - `Users/3f/a8/<id>.json` — one file per user, in folders named after the first four hex
      digits of its id (so no folder grows large).
    - `Groups/9c/0e/<id>/group.json` — a group's own attributes.
    - `Groups/9c/0e/<id>/members/3f/<member id>.json` — one small file per member of the group.
    - `Schemas/<urn>.json` — custom schema extensions (`scimgit schema add`), if any.

    Read the history with `git log -p`, or in SCIM terms with `scimgit log` and `scimgit diff`.
    Do not edit files by hand while the server runs: change them through the SCIM API, or use
    `scimgit rollback` / `scimgit revert`, which commit like any other write.

    """
}
