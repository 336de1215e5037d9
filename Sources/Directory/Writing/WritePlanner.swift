import Foundation
import GitStore
import SCIM
import SCIMService

/// Turns one SCIM write into the file changes of one commit, validated against the
/// current state (committed + this batch's pending changes) inside the writer, so checks
/// like userName uniqueness cannot race with another write.
struct WritePlanner {
    let registry: SchemaRegistry
    let validator: ResourceValidator
    let patchEngine: PatchEngine
    let clock: Clock

    init(registry: SchemaRegistry, clock: Clock) {
        self.registry = registry
        validator = ResourceValidator(registry: registry)
        patchEngine = PatchEngine(registry: registry)
        self.clock = clock
    }

    /// `type` as the schemas of this batch declare it: a request resolved its type before
    /// the schemas changed (a `scimgit schema add` taken in just now) is checked against
    /// the new ones.
    func current(_ type: ResourceType) -> ResourceType {
        registry.resourceType(id: type.id) ?? type
    }

    func plan(_ operation: WriteOperation, view: inout WriteView, context: Caller) throws(SCIMError) -> PlannedWrite {
        switch operation.resolved(in: self) {
        case .sync:
            return PlannedWrite(changes: [:], message: nil, result: WriteResult())
        // A kind whose resources hold members is planned as a group (member files, the
        // memberships of the deleted); any other as a user (one file, its groups derived).
        case let .create(type, body):
            return try kind(of: type).holdsMembers
                ? createGroup(type, body, &view, context)
                : createUser(type, body, &view, context)
        case let .replace(type, id, body, precondition):
            return try kind(of: type).holdsMembers
                ? replaceGroup(type, id, body, precondition, &view, context)
                : replaceUser(type, id, body, precondition, &view, context)
        case let .patch(type, id, request, precondition):
            return try kind(of: type).holdsMembers
                ? patchGroup(type, id, request, precondition, &view, context)
                : patchUser(type, id, request, precondition, &view, context)
        case let .delete(type, id, precondition):
            return try kind(of: type).holdsMembers
                ? deleteGroup(type, id, precondition, &view, context)
                : deleteUser(type, id, precondition, &view, context)
        }
    }

    func kind(of type: ResourceType) throws(SCIMError) -> ResourceKind {
        try ResourceKind.required(type)
    }

    // MARK: - Shared steps

    func existing(_ id: String, _ kind: ResourceKind, _ view: WriteView) throws(SCIMError) -> StoredDocument {
        guard let stored = try view.document(id, kind: kind) else {
            throw SCIMError.notFound("\(kind.typeID) \(id) not found")
        }
        return stored
    }

    func check(_ precondition: EntityTagList?, _ stored: StoredDocument) throws(SCIMError) {
        guard let precondition else { return }
        let version = stored.version
        guard precondition.matches(version) else {
            throw SCIMError.preconditionFailed("If-Match does not match the current version \(version)")
        }
    }

    /// The name (userName, a group's displayName) and every attribute a schema declares
    /// unique must not be held by another resource of the kind.
    func checkUnique(_ stored: StoredDocument, id: String, type: ResourceType, _ view: WriteView, scanningPending: Bool = true) throws(SCIMError) {
        let kind = stored.kind
        if let holder = view.id(named: stored.name, kind: kind), holder != id {
            throw SCIMError.uniqueness("\(kind.nameAttribute) \"\(stored.name)\" is already used by \(kind.noun) \(holder)")
        }
        try view.uniqueValues.check(stored.document, id: id, kind: kind, type: type, view: view, scanningPending: scanningPending)
    }

    /// The document as stored: the validated attributes plus `id` and `meta` (no location,
    /// no version: both are derived on read).
    func stamped(_ attributes: [String: JSONValue], id: String, type: ResourceType, created: String?) -> [String: JSONValue] {
        var document = attributes
        let now = clock.now().description
        document["id"] = .string(id)
        document["meta"] = .object([
            "resourceType": .string(type.name),
            "created": .string(created ?? now),
            "lastModified": .string(now),
        ])
        return document
    }

    /// A stored document with `meta` removed (for attribute diffs).
    func withoutMeta(_ document: [String: JSONValue]) -> JSONValue {
        var copy = document
        copy["meta"] = nil
        return .object(copy)
    }

    static func newID() -> String { UUID().uuidString.lowercased() }

    static func author(_ context: Caller) -> String { context.client }
}
