import GitStore
import SCIM

/// One resource's change between two states of the store, in SCIM terms.
public struct ResourceChange: Sendable, Hashable {
    public enum Kind: String, Sendable { case added, removed, modified }

    public var kind: ResourceKind
    public var id: String
    /// userName or displayName (after the change; before it for a removed resource).
    public var name: String
    public var change: Kind
    /// Changed attributes, dotted paths (`name.givenName`, `active`, `emails`).
    public var attributes: [AttributeChange]
    public var membersAdded: [String]
    public var membersRemoved: [String]
    /// Set when a stored version is not a valid resource (a hand edit): its attributes
    /// cannot be compared, and this says which file and why.
    public var problem: String? = nil

    var resourceType: String { kind.typeID }

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
        ].merging(problem.map { ["problem": .string($0)] } ?? [:]) { a, _ in a })
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
    /// Schema declarations added, removed or changed (`Schemas/`).
    public var schemas: [SchemaChange] = []
    /// Changed resources left out by a `limit` (see `HistoryDiff.diff`).
    public var omitted = 0
    /// With a `limit`, whether more changed than was even looked at (count unknown).
    public var isTruncated = false

    public var isEmpty: Bool { changes.isEmpty && schemas.isEmpty }

    public var json: JSONValue {
        .object([
            "from": from.map { .string($0.hex) } ?? .null,
            "to": .string(to.hex),
            "changes": .array(changes.map(\.json)),
            "schemas": .array(schemas.map(\.json)),
        ])
    }
}
