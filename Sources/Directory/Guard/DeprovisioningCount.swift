import GitStore
import SCIM

/// How many people or groups one planned write takes access from: the unit the guard
/// counts. A user deactivated (`active` true → false) or deleted counts one; a member
/// removed from a group counts one; a group deleted counts its members (one when it has
/// none). The memberships a deleted user leaves behind are part of its one.
struct DeprovisioningCount: Equatable {
    /// Everything the write takes away.
    var count = 0
    /// Of it, users deactivated or deleted: added back to the active users the guard's
    /// percentage is taken of, so the share is of the users there were before the sync,
    /// not of those it left.
    var users = 0

    static func of(_ changes: [String: FileChange], before: WriteView, after: WriteView) -> DeprovisioningCount {
        var deletedUsers: Set<String> = []
        var deletedGroups: [String: Int] = [:]
        var count = 0
        var users = 0
        var removedMemberships: [(group: String, member: String)] = []
        for (path, change) in changes {
            switch StoreLayout.entry(at: path) {
            case let .resource(kind, id)?:
                if case .delete = change {
                    guard before.kind(of: id) != nil else { continue }
                    if kind.holdsMembers { deletedGroups[id] = 0 } else { deletedUsers.insert(id); count += 1; users += 1 }
                } else if !kind.holdsMembers, deactivates(id, kind: kind, before: before, after: after) {
                    count += 1
                    users += 1
                }
            case let .membership(group, member)?:
                if case .delete = change { removedMemberships.append((group, member)) }
            case nil:
                continue
            }
        }
        for removal in removedMemberships where !deletedUsers.contains(removal.member) {
            if deletedGroups[removal.group] != nil { deletedGroups[removal.group]! += 1 } else { count += 1 }
        }
        return DeprovisioningCount(count: count + deletedGroups.values.reduce(0) { $0 + max($1, 1) }, users: users)
    }

    /// `active` was true (or absent: a user is active unless it says otherwise) and is false.
    private static func deactivates(_ id: String, kind: ResourceKind, before: WriteView, after: WriteView) -> Bool {
        guard case let new?? = after.pending.documents[id], new.document["active"]?.boolValue == false,
              let old = try? before.document(id, kind: kind) else { return false }
        return old.document["active"]?.boolValue != false
    }
}
