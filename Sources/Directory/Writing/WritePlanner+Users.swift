import GitStore
import SCIM
import SCIMService

/// Users — and any kind whose resources hold no members: one file each. `password` is
/// dropped (never stored, see README); `groups` is read-only and derived from group
/// memberships on read.
extension WritePlanner {
    func createUser(_ type: ResourceType, _ body: JSONValue, _ view: inout WriteView, _ context: Caller) throws(SCIMError) -> PlannedWrite {
        let kind = try kind(of: type)
        let id = WritePlanner.newID()
        let stored = try newUser(type, body, id: id, created: nil, &view)
        var message = CommitMessage(
            subject: "Create \(kind.noun) \(CommitMessage.quote(stored.name))", operation: "POST", resource: "\(kind.typeID)/\(id)", name: stored.name, context: context)
        message.addChanges(AttributeDiff.changes(from: nil, to: withoutMeta(stored.document), as: type))
        return PlannedWrite(changes: [kind.path(of: id): .write(stored.bytes)], message: message, result: WriteResult(type: type, id: id, stored: stored))
    }

    /// A new user validated, stamped, checked unique and put in `view`: what a POST and an
    /// import share (an import keeps the id and creation time a record came with).
    func newUser(_ type: ResourceType, _ body: JSONValue, id: String, created: String?, _ view: inout WriteView) throws(SCIMError) -> StoredDocument {
        let stored = try preparedUser(type, body, id: id, created: created)
        try admit(stored, id: id, type: type, &view)
        return stored
    }

    /// The part of a new user that depends on nothing stored: validated and stamped (an
    /// import prepares many at once, on every core).
    func preparedUser(_ type: ResourceType, _ body: JSONValue, id: String, created: String?) throws(SCIMError) -> StoredDocument {
        let kind = try kind(of: type)
        let validated = try validator.validate(body, as: type)
        guard case let .object(attributes) = validated.resource else { throw SCIMError.invalidSyntax("a \(type.name) must be a JSON object") }
        return StoredDocument(kind: kind, document: stamped(attributes, id: id, type: type, created: created))
    }

    /// A prepared new resource checked unique against `view`, then put in it (see
    /// `UniqueValueIndex.check` for `scanningPending`).
    func admit(_ stored: StoredDocument, id: String, type: ResourceType, _ view: inout WriteView, scanningPending: Bool = true) throws(SCIMError) {
        try checkUnique(stored, id: id, type: type, view, scanningPending: scanningPending)
        view.pending.put(id, stored, previousName: nil)
    }

    func replaceUser(
        _ type: ResourceType, _ id: String, _ body: JSONValue, _ precondition: EntityTagList?,
        _ view: inout WriteView, _ context: Caller
    ) throws(SCIMError) -> PlannedWrite {
        let current = try existing(id, try kind(of: type), view)
        try check(precondition, current)
        let validated = try validator.validate(body, as: type, existing: .object(current.document))
        guard case let .object(attributes) = validated.resource else { throw SCIMError.invalidSyntax("a \(type.name) must be a JSON object") }
        return try updateUser(type, id, current: current, newAttributes: attributes, operation: "PUT", &view, context)
    }

    func patchUser(
        _ type: ResourceType, _ id: String, _ request: PatchRequest, _ precondition: EntityTagList?,
        _ view: inout WriteView, _ context: Caller
    ) throws(SCIMError) -> PlannedWrite {
        let current = try existing(id, try kind(of: type), view)
        try check(precondition, current)
        let outcome = try patchEngine.apply(request, to: .object(current.document), as: type)
        guard case var .object(attributes) = outcome.resource else { throw SCIMError.invalidSyntax("a \(type.name) must be a JSON object") }
        attributes["meta"] = nil
        attributes["id"] = nil
        return try updateUser(type, id, current: current, newAttributes: attributes, operation: "PATCH", &view, context)
    }

    /// PUT and PATCH end alike: nothing changed → no commit; else one commit naming the change.
    private func updateUser(
        _ type: ResourceType, _ id: String, current: StoredDocument, newAttributes: [String: JSONValue],
        operation: String, _ view: inout WriteView, _ context: Caller
    ) throws(SCIMError) -> PlannedWrite {
        let kind = current.kind
        var cleaned = newAttributes
        cleaned["id"] = nil
        cleaned["meta"] = nil
        cleaned[kind.derivedAttribute] = nil
        let changes = AttributeDiff.changes(from: withoutMeta(current.document), to: .object(cleaned.merging(["id": .string(id)]) { a, _ in a }), as: type)
        guard !changes.isEmpty else {
            return PlannedWrite(changes: [:], message: nil, result: WriteResult(type: type, id: id, stored: current))
        }
        let created = current.document["meta"]?["created"]?.stringValue
        let stored = StoredDocument(kind: kind, document: stamped(cleaned, id: id, type: type, created: created))
        try checkUnique(stored, id: id, type: type, view)
        view.pending.put(id, stored, previousName: current.name)
        var message = CommitMessage(
            subject: CommitMessage.subject(kind, name: current.name, changes: changes),
            operation: operation, resource: "\(kind.typeID)/\(id)", name: stored.name, context: context
        )
        message.addChanges(changes)
        return PlannedWrite(changes: [kind.path(of: id): .write(stored.bytes)], message: message, result: WriteResult(type: type, id: id, stored: stored))
    }

    /// Deleting a user also removes it from every group, in the same commit.
    func deleteUser(
        _ type: ResourceType, _ id: String, _ precondition: EntityTagList?,
        _ view: inout WriteView, _ context: Caller
    ) throws(SCIMError) -> PlannedWrite {
        let kind = try kind(of: type)
        let current = try existing(id, kind, view)
        try check(precondition, current)
        var files: [String: FileChange] = [kind.path(of: id): .delete]
        let groups = view.groups(containing: id)
        var groupNames: [String] = []
        for group in groups.sorted() {
            files[StoreLayout.membershipPath(group: group, member: id)] = .delete
            view.pending.setMember(id, of: group, kind: nil)
            if let touched = try touchGroup(group, &view) {
                files[ResourceKind.group.path(of: group)] = .write(touched.bytes)
                groupNames.append(touched.name)
            }
        }
        view.pending.remove(id, kind: kind, name: current.name)
        var message = CommitMessage(
            subject: "Delete \(kind.noun) \(CommitMessage.quote(current.name))", operation: "DELETE", resource: "\(kind.typeID)/\(id)", name: current.name, context: context)
        if !groupNames.isEmpty { message.body.append("removed from groups: " + CommitMessage.list(groupNames.sorted())) }
        return PlannedWrite(changes: files, message: message, result: WriteResult(type: type, id: id, stored: nil))
    }

    /// A group whose members changed gets a new `meta.lastModified` (so its version
    /// changes too). Returns the rewritten group, nil when it does not exist.
    func touchGroup(_ group: String, _ view: inout WriteView) throws(SCIMError) -> StoredDocument? {
        guard var stored = try view.document(group, kind: .group) else { return nil }
        var meta = stored.document["meta"]?.objectValue ?? [:]
        meta["lastModified"] = .string(clock.now().description)
        stored.document["meta"] = .object(meta)
        let touched = StoredDocument(kind: .group, document: stored.document)
        view.pending.put(group, touched, previousName: stored.name)
        return touched
    }
}
