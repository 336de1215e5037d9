/// What a PATCH did: the resulting resource and the changes, for the store and for the
/// commit message.
public struct PatchOutcome: Sendable, Hashable {
    /// The resource after the operations, canonical. For a Group patched with a
    /// `MemberSet`, it has no `members` (they are reported as deltas below).
    public var resource: JSONValue
    /// The attributes that changed, before → after (see `AttributeDiff`).
    public var changes: [AttributeChange]
    /// Members added, as member objects `{"value", "type"?, "display"?}` (MemberSet mode).
    public var membersAdded: [JSONValue]
    /// Ids of the members removed (MemberSet mode).
    public var membersRemoved: [String]
    /// The new `password`, when an operation set one (it is never part of `resource`).
    public var password: String?

    public init(resource: JSONValue, changes: [AttributeChange], membersAdded: [JSONValue] = [], membersRemoved: [String] = [], password: String? = nil) {
        self.resource = resource
        self.changes = changes
        self.membersAdded = membersAdded
        self.membersRemoved = membersRemoved
        self.password = password
    }

    /// True when the request changed nothing (e.g. an IdP retrying a membership change).
    public var isNoOp: Bool {
        changes.isEmpty && membersAdded.isEmpty && membersRemoved.isEmpty && password == nil
    }
}
