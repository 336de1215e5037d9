import GitStore
import SCIM
import SCIMService

/// Groups: `group.json` holds the group's own attributes, and each member is one small
/// file under `members/`, so changing one membership of a 50,000-member group writes one
/// tiny file (plus the group's new `meta.lastModified`).
extension WritePlanner {
    /// A membership file's content: the member's kind (the file's name is the member's id),
    /// and the `display` the client gave when it is not simply the member's name.
    static func membershipFile(_ member: ResolvedMember) -> [UInt8] {
        var object: [String: JSONValue] = ["type": .string(member.kind.typeID)]
        if let display = member.display {
            object["display"] = .string(display.text)
            if let name = display.givenFor { object[MemberDisplay.givenForKey] = .string(name) }
        }
        return JSONValue.object(object).serialized(.canonical)
    }

    /// A member a client asked for, checked to exist.
    struct ResolvedMember {
        var id: String
        var kind: ResourceKind
        var display: MemberDisplay?
    }

    func createGroup(_ type: ResourceType, _ body: JSONValue, _ view: inout WriteView, _ context: Caller) throws(SCIMError) -> PlannedWrite {
        let id = WritePlanner.newID()
        let (stored, added, files) = try newGroup(type, body, id: id, created: nil, &view)
        let subject = "Create group \(CommitMessage.quote(stored.name))" + (added.isEmpty ? "" : " with \(CommitMessage.plural(added.count, "member"))")
        var message = CommitMessage(subject: subject, operation: "POST", resource: "Group/\(id)", name: stored.name, context: context)
        message.addChanges(AttributeDiff.changes(from: nil, to: withoutMeta(stored.document), as: type))
        addMemberLines(&message, added: added.map(\.id), removed: [], view)
        return PlannedWrite(changes: files, message: message, result: WriteResult(type: type, id: id, stored: stored))
    }

    /// A new group validated, stamped, checked unique, its members resolved, and put in
    /// `view`: what a POST and an import share. Returns its files (the group's and one per member).
    func newGroup(
        _ type: ResourceType, _ body: JSONValue, id: String, created: String?, _ view: inout WriteView
    ) throws(SCIMError) -> (StoredDocument, [ResolvedMember], [String: FileChange]) {
        let validated = try validator.validate(body, as: type)
        guard case var .object(attributes) = validated.resource else { throw SCIMError.invalidSyntax("a Group must be a JSON object") }
        let requested = attributes.removeValue(forKey: "members")?.arrayValue ?? []
        let stored = StoredDocument(kind: .group, document: stamped(attributes, id: id, type: type, created: created))
        try checkUnique(stored, id: id, type: type, view)
        let added = try resolveMembers(requested, group: id, view)
        view.pending.put(id, stored, previousName: nil)
        var files: [String: FileChange] = [ResourceKind.group.path(of: id): .write(stored.bytes)]
        for member in added {
            files[StoreLayout.membershipPath(group: id, member: member.id)] = .write(WritePlanner.membershipFile(member))
            view.pending.setMember(member.id, of: id, kind: member.kind, display: member.display)
        }
        return (stored, added, files)
    }

    func replaceGroup(
        _ type: ResourceType, _ id: String, _ body: JSONValue, _ precondition: EntityTagList?,
        _ view: inout WriteView, _ context: Caller
    ) throws(SCIMError) -> PlannedWrite {
        let current = try existing(id, .group, view)
        try check(precondition, current)
        let validated = try validator.validate(body, as: type, existing: .object(current.document))
        guard case var .object(attributes) = validated.resource else { throw SCIMError.invalidSyntax("a Group must be a JSON object") }
        let requested = attributes.removeValue(forKey: "members")?.arrayValue ?? []
        let wanted = try resolveMembers(requested, group: id, view)
        let members = view.members(of: id).all
        let wantedIDs = Set(wanted.map(\.id))
        let added = wanted.filter { members[$0.id] == nil }
        let removed = members.keys.filter { !wantedIDs.contains($0) }.sorted()
        return try updateGroup(type, id, current: current, newAttributes: attributes, added: added, removed: removed, operation: "PUT", &view, context)
    }

    func patchGroup(
        _ type: ResourceType, _ id: String, _ request: PatchRequest, _ precondition: EntityTagList?,
        _ view: inout WriteView, _ context: Caller
    ) throws(SCIMError) -> PlannedWrite {
        let current = try existing(id, .group, view)
        try check(precondition, current)
        let members = view.members(of: id)
        let outcome = try patchEngine.apply(request, to: .object(current.document), as: type, members: members)
        guard case var .object(attributes) = outcome.resource else { throw SCIMError.invalidSyntax("a Group must be a JSON object") }
        attributes["members"] = nil
        let added = try resolveMembers(outcome.membersAdded, group: id, view).filter { !members.contains($0.id) }
        let removed = Set(outcome.membersRemoved).filter { members.contains($0) }.sorted()
        return try updateGroup(type, id, current: current, newAttributes: attributes, added: added, removed: removed, operation: "PATCH", &view, context)
    }

    private func updateGroup(
        _ type: ResourceType, _ id: String, current: StoredDocument, newAttributes: [String: JSONValue],
        added: [ResolvedMember], removed: [String], operation: String,
        _ view: inout WriteView, _ context: Caller
    ) throws(SCIMError) -> PlannedWrite {
        var cleaned = newAttributes
        cleaned["id"] = nil
        cleaned["meta"] = nil
        let changes = AttributeDiff.changes(from: withoutMeta(current.document), to: .object(cleaned.merging(["id": .string(id)]) { a, _ in a }), as: type)
        guard !changes.isEmpty || !added.isEmpty || !removed.isEmpty else {
            return PlannedWrite(changes: [:], message: nil, result: WriteResult(type: type, id: id, stored: current))
        }
        let created = current.document["meta"]?["created"]?.stringValue
        let stored = StoredDocument(kind: .group, document: stamped(cleaned, id: id, type: type, created: created))
        try checkUnique(stored, id: id, type: type, view)
        view.pending.put(id, stored, previousName: current.name)
        var files: [String: FileChange] = [ResourceKind.group.path(of: id): .write(stored.bytes)]
        for member in added {
            files[StoreLayout.membershipPath(group: id, member: member.id)] = .write(WritePlanner.membershipFile(member))
            view.pending.setMember(member.id, of: id, kind: member.kind, display: member.display)
        }
        for member in removed {
            files[StoreLayout.membershipPath(group: id, member: member)] = .delete
            view.pending.setMember(member, of: id, kind: nil)
        }
        var message = CommitMessage(
            subject: CommitMessage.groupSubject(name: current.name, changes: changes, added: added.count, removed: removed.count),
            operation: operation, resource: "Group/\(id)", name: stored.name, context: context
        )
        message.addChanges(changes)
        addMemberLines(&message, added: added.map(\.id), removed: removed, view)
        return PlannedWrite(changes: files, message: message, result: WriteResult(type: type, id: id, stored: stored))
    }

    /// Deleting a group removes its members' files and its own membership in other groups.
    func deleteGroup(
        _ type: ResourceType, _ id: String, _ precondition: EntityTagList?,
        _ view: inout WriteView, _ context: Caller
    ) throws(SCIMError) -> PlannedWrite {
        let current = try existing(id, .group, view)
        try check(precondition, current)
        var files: [String: FileChange] = [ResourceKind.group.path(of: id): .delete]
        let members = view.members(of: id).all
        for member in members.keys {
            files[StoreLayout.membershipPath(group: id, member: member)] = .delete
            view.pending.setMember(member, of: id, kind: nil)
        }
        for parent in view.groups(containing: id).sorted() {
            files[StoreLayout.membershipPath(group: parent, member: id)] = .delete
            view.pending.setMember(id, of: parent, kind: nil)
            if let touched = try touchGroup(parent, &view) { files[ResourceKind.group.path(of: parent)] = .write(touched.bytes) }
        }
        view.pending.remove(id, kind: .group, name: current.name)
        var message = CommitMessage(
            subject: "Delete group \(CommitMessage.quote(current.name))", operation: "DELETE", resource: "Group/\(id)", name: current.name, context: context)
        if !members.isEmpty { message.body.append("had \(CommitMessage.plural(members.count, "member"))") }
        return PlannedWrite(changes: files, message: message, result: WriteResult(type: type, id: id, stored: nil))
    }

    /// Checks requested members (`{value, type?}`): each must be an existing user or group
    /// of the stated type, and not the group itself → else 400 invalidValue.
    func resolveMembers(_ requested: [JSONValue], group: String, _ view: WriteView) throws(SCIMError) -> [ResolvedMember] {
        var seen = Set<String>()
        var out: [ResolvedMember] = []
        for member in requested {
            guard let value = member["value"]?.stringValue else {
                throw SCIMError.invalidValue("a member needs a \"value\" (the id of a user or group)")
            }
            let id = value.lowercased()
            guard StoreLayout.isValidID(id), let kind = view.kind(of: id) else {
                throw SCIMError.invalidValue("member \(value) is not an existing user or group")
            }
            if let stated = member["type"]?.stringValue, stated.lowercased() != kind.typeID.lowercased() {
                throw SCIMError.invalidValue("member \(value) is a \(kind.typeID), not a \(stated)")
            }
            guard id != group else { throw SCIMError.invalidValue("a group cannot be a member of itself") }
            var display: MemberDisplay?
            if let given = member["display"]?.stringValue, !given.isEmpty {
                let name = memberName(id, kind, view)
                if given != name { display = MemberDisplay(text: given, givenFor: name) }
            }
            if seen.insert(id).inserted { out.append(ResolvedMember(id: id, kind: kind, display: display)) }
        }
        return out
    }

    private func memberName(_ id: String, _ kind: ResourceKind, _ view: WriteView) -> String? {
        if let pendingDocument = view.pending.documents[id] { return pendingDocument?.name }
        return view.index.read { $0.summary(id)?.name }
    }

    /// `+ member ada@example.com` / `- member ada@example.com` lines (by name, as in diffs).
    private func addMemberLines(_ message: inout CommitMessage, added: [String], removed: [String], _ view: WriteView) {
        func name(_ id: String) -> String {
            if let pendingDocument = view.pending.documents[id], let pendingDocument { return pendingDocument.name }
            return view.index.read { $0.summary(id)?.name } ?? id
        }
        let limit = CommitMessage.listLimit
        for id in added.prefix(limit) { message.body.append("+ member \(CommitMessage.quote(name(id))) (\(id))") }
        if added.count > limit { message.body.append("+ \(added.count - limit) more members") }
        for id in removed.prefix(limit) { message.body.append("- member \(CommitMessage.quote(name(id))) (\(id))") }
        if removed.count > limit { message.body.append("- \(removed.count - limit) more members") }
    }
}
