import GitStore
import SCIM

/// A stored resource: its document as in its file, and the file's bytes.
struct StoredDocument: Sendable {
    var kind: ResourceKind
    var document: [String: JSONValue]
    var bytes: [UInt8]

    init(kind: ResourceKind, document: [String: JSONValue]) {
        self.kind = kind
        self.document = document
        self.bytes = JSONValue.object(document).serialized(.canonical)
    }

    init(kind: ResourceKind, document: [String: JSONValue], bytes: [UInt8]) {
        self.kind = kind
        self.document = document
        self.bytes = bytes
    }

    var version: String { ResourceVersion.of(bytes) }
    var name: String { kind.name(in: document) }

    /// The same resource with only what a later write of the batch asks of it: its kind
    /// and name (an import of many keeps this, and each file's bytes in its change).
    var keepingOnlyTheName: StoredDocument {
        StoredDocument(kind: kind, document: [kind.nameAttribute: .string(name)], bytes: [])
    }
}

/// What the writes of the batch being planned have changed so far, on top of the
/// committed state. Each write is planned against committed state + this overlay, so the
/// second of two creates with one userName in one batch is refused, and a PATCH sees the
/// user created just before it; readers see none of it until the batch is committed.
struct PendingChanges {
    /// id → new document, or nil when deleted.
    var documents: [String: StoredDocument?] = [:]
    /// group → member → kind, or nil when removed.
    var memberships: [String: [String: ResourceKind?]] = [:]
    /// group → member → display given by the client, or nil to clear it.
    var displays: [String: [String: MemberDisplay?]] = [:]
    /// kind → lowercased unique name → id, or nil when the name was freed.
    var names: [ResourceKind: [String: String?]] = [:]

    /// Room for `count` new resources of `kind` (an import knows how many it plans).
    mutating func reserveCapacity(_ count: Int, of kind: ResourceKind) {
        documents.reserveCapacity(documents.count + count)
        names[kind, default: [:]].reserveCapacity((names[kind]?.count ?? 0) + count)
    }

    mutating func put(_ id: String, _ stored: StoredDocument, previousName: String?) {
        if let previousName, previousName.lowercased() != stored.name.lowercased() {
            names[stored.kind, default: [:]][previousName.lowercased()] = .some(nil)
        }
        names[stored.kind, default: [:]][stored.name.lowercased()] = .some(id)
        documents[id] = .some(stored)
    }

    mutating func remove(_ id: String, kind: ResourceKind, name: String) {
        names[kind, default: [:]][name.lowercased()] = .some(nil)
        documents[id] = .some(nil)
    }

    mutating func setMember(_ member: String, of group: String, kind: ResourceKind?, display: MemberDisplay? = nil) {
        memberships[group, default: [:]][member] = .some(kind)
        displays[group, default: [:]][member] = .some(display)
    }
}

/// The committed state and the batch's pending changes, seen as one: what a write is
/// validated against inside the writer.
struct WriteView {
    let index: DirectoryIndex
    let store: GitStore
    var pending: PendingChanges
    let uniqueValues: UniqueValueIndex

    /// The resource's current document, or nil when it does not exist. Throws a 500 when
    /// its file is broken.
    func document(_ id: String, kind: ResourceKind) throws(SCIMError) -> StoredDocument? {
        guard StoreLayout.isValidID(id) else { return nil }
        if let pendingDocument = pending.documents[id] {
            guard let pendingDocument, pendingDocument.kind == kind else { return nil }
            return pendingDocument
        }
        return try CommittedFiles.read(kind.path(of: id), id: id, kind: kind, files: WorkingTreeFiles(store: store), index: index)
    }

    /// The kind of an existing resource (pending changes included).
    func kind(of id: String) -> ResourceKind? {
        if let pendingDocument = pending.documents[id] { return pendingDocument?.kind }
        return index.read { $0.kind(of: id) }
    }

    /// Who holds a unique name (userName or group displayName), case-insensitively.
    func id(named name: String, kind: ResourceKind) -> String? {
        if let pendingID = pending.names[kind]?[name.lowercased()] { return pendingID }
        guard let committed = index.read({ $0.id(named: name, kind: kind) }) else { return nil }
        // A committed holder renamed or deleted in this batch no longer holds it.
        if let pendingDocument = pending.documents[committed] {
            guard let pendingDocument, pendingDocument.name.lowercased() == name.lowercased() else { return nil }
        }
        return committed
    }

    /// The group's members: committed, with this batch's changes applied.
    func members(of group: String) -> GroupMembers {
        GroupMembers(committed: index.read { $0.members[group] ?? [:] }, pending: pending.memberships[group] ?? [:])
    }

    /// The groups that contain `member` directly.
    func groups(containing member: String) -> Set<String> {
        var groups = index.read { Set($0.memberOf[member].map(Array.init) ?? []) }
        for (group, changes) in pending.memberships {
            guard let change = changes[member] else { continue }
            if change == nil { groups.remove(group) } else { groups.insert(group) }
        }
        return groups
    }
}

/// A group's members as the PATCH engine sees them: O(1) membership tests over the
/// committed members (shared, not copied) and the batch's changes.
struct GroupMembers: MemberSet {
    let committed: [String: ResourceKind]
    let pending: [String: ResourceKind?]

    func kind(of member: String) -> ResourceKind? {
        if let change = pending[member] { return change }
        return committed[member]
    }

    func contains(_ value: String) -> Bool { kind(of: value) != nil }

    var all: [String: ResourceKind] {
        var result = committed
        for (member, kind) in pending { result[member] = kind }
        return result
    }

    func allMembers() -> [JSONValue] {
        all.sorted { $0.key < $1.key }.map { .object(["value": .string($0.key), "type": .string($0.value.typeID)]) }
    }
}

/// Reads committed resource files for the writer and the readers alike.
enum CommittedFiles {
    static func read(_ path: String, id: String, kind: ResourceKind, files: any ResourceFiles, index: DirectoryIndex) throws(SCIMError) -> StoredDocument? {
        guard let bytes = try readBytes(path, id: id, files: files, index: index) else { return nil }
        return try parse(bytes, path: path, kind: kind)
    }

    /// The file's bytes, unparsed (nil: no such resource).
    static func readBytes(_ path: String, id: String, files: any ResourceFiles, index: DirectoryIndex) throws(SCIMError) -> [UInt8]? {
        let bytes: [UInt8]?
        do {
            bytes = try files.read(path)
        } catch let error as GitStoreError where error.isBusy {
            throw SCIMError(status: 503, detail: "\(path) is being rewritten; try again")
        } catch {
            throw SCIMError.internalError("cannot read \(path): \(error)")
        }
        guard let bytes else {
            if let broken = index.read({ $0.broken[id] }) { throw brokenFile(broken) }
            return nil
        }
        return bytes
    }

    static func parse(_ bytes: [UInt8], path: String, kind: ResourceKind) throws(SCIMError) -> StoredDocument {
        guard let parsed = try? JSONValue.parse(bytes), case let .object(document) = parsed else {
            throw brokenFile(path)
        }
        return StoredDocument(kind: kind, document: document, bytes: bytes)
    }

    static func brokenFile(_ path: String) -> SCIMError {
        .internalError("the stored file \(path) is not a valid resource (edited by hand?); fix or revert it with git, `scimgit verify` lists the problems")
    }
}
