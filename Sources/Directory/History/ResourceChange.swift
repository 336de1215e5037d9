import GitStore
import SCIM

/// One resource's change between two states of the store, in SCIM terms.
public struct ResourceChange: Sendable, Hashable {
    public enum Kind: String, Sendable { case added, removed, modified }

    public var kind: MemberKind
    public var id: String
    /// userName or displayName (after the change; before it for a removed resource).
    public var name: String
    public var change: Kind
    /// Changed attributes, dotted paths (`name.givenName`, `active`, `emails`).
    public var attributes: [AttributeChange]
    public var membersAdded: [String]
    public var membersRemoved: [String]

    var resourceType: String { kind.rawValue }

    /// The `--json` form of `scimgit diff`.
    public var json: JSONValue {
        .object([
            "resourceType": .string(resourceType),
            "id": .string(id),
            "name": .string(name),
            "change": .string(change.rawValue),
            "attributes": .array(attributes.map { change in
                .object(["path": .string(change.path), "before": change.before ?? .null, "after": change.after ?? .null])
            }),
            "membersAdded": .array(membersAdded.map { .string($0) }),
            "membersRemoved": .array(membersRemoved.map { .string($0) }),
        ])
    }
}

/// The change between two commits, resource by resource (users first, then groups, each
/// by name).
public struct StoreDiff: Sendable {
    public var from: ObjectID?
    public var to: ObjectID
    public var changes: [ResourceChange]
    /// Names of the members that appear in `changes`, for display (id → userName/displayName).
    public var memberNames: [String: String]

    public var isEmpty: Bool { changes.isEmpty }

    public var json: JSONValue {
        .object([
            "from": from.map { .string($0.hex) } ?? .null,
            "to": .string(to.hex),
            "changes": .array(changes.map(\.json)),
        ])
    }
}
