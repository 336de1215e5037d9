/// The current members of a group, as the Directory stores them: apart from the group,
/// one file per membership.
///
/// Groups can have 50,000 members and Entra sends one PATCH per membership change, so the
/// PATCH engine must not load them all for the common cases. It asks `contains` (O(1))
/// for each member an operation lists and reports the delta; only `replace` of all
/// members and value filters other than `value eq "…"` call `allMembers()` (O(n)).
public protocol MemberSet: Sendable {
    /// True when the member with this `value` (resource id) is in the group.
    func contains(_ value: String) -> Bool
    /// Every member as `{"value": …, "type"?: …, "display"?: …}`.
    func allMembers() -> [JSONValue]
}

/// A `MemberSet` held in memory: for tests, and for callers that already have the list.
public struct InMemoryMemberSet: MemberSet {
    private let members: [JSONValue]
    private let ids: Set<String>

    public init(_ members: [JSONValue]) {
        self.members = members
        self.ids = Set(members.compactMap { $0["value"]?.stringValue })
    }

    /// Members given by id only.
    public init(ids: [String]) {
        self.init(ids.map { JSONValue.object(["value": .string($0)]) })
    }

    public func contains(_ value: String) -> Bool { ids.contains(value) }
    public func allMembers() -> [JSONValue] { members }
}
