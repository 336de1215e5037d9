import GitStore
import SCIM
import SCIMService

/// A write the directory's writer performs, in the order requests arrived.
enum WriteOperation: Sendable {
    case create(ResourceType, JSONValue)
    case replace(ResourceType, id: String, JSONValue, EntityTagList?)
    case patch(ResourceType, id: String, PatchRequest, EntityTagList?)
    case delete(ResourceType, id: String, EntityTagList?)
    /// No write: only take in a HEAD moved by someone else (before a read).
    case sync

    /// The same operation with its type as `planner`'s schemas declare it.
    func resolved(in planner: WritePlanner) -> WriteOperation {
        switch self {
        case let .create(type, body): return .create(planner.current(type), body)
        case let .replace(type, id, body, precondition): return .replace(planner.current(type), id: id, body, precondition)
        case let .patch(type, id, request, precondition): return .patch(planner.current(type), id: id, request, precondition)
        case let .delete(type, id, precondition): return .delete(planner.current(type), id: id, precondition)
        case .sync: return .sync
        }
    }
}

/// What a write leaves behind, for the answer: the resource as now stored (nil after a
/// delete or a sync).
struct WriteResult: Sendable {
    var type: ResourceType?
    var id: String?
    var stored: StoredDocument?
}

/// A planned write: its commit (nil when it changes nothing) and its result.
struct PlannedWrite {
    var changes: [String: FileChange]
    var message: CommitMessage?
    var result: WriteResult
}
