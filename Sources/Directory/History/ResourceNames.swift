import GitStore
import SCIM

/// Which resources hold given names at HEAD, for the history commands (`log --resource
/// NAME`, a revert's check that restored names are still free). Through the index snapshot
/// when there is one: the names it recorded, with every resource file changed since its
/// commit read again — a few files instead of a million. Without one, every resource is
/// read.
struct ResourceNames {
    let store: GitStore

    /// A resource that may hold one of the names: its name when known to be current, else
    /// the blob to read it from.
    private struct Candidate {
        var kind: ResourceKind
        var id: String
        var name: String?
        var blob: ObjectID?
    }

    /// For each of `names` (compared whole and case-insensitively), the resources named so at
    /// `head`, users before groups.
    func holders(of names: Set<String>, at head: ObjectID) throws -> [String: [(kind: ResourceKind, id: String)]] {
        let wanted = Set(names.map { $0.lowercased() })
        guard !wanted.isEmpty else { return [:] }
        return try holders(wanted, at: head, snapshot: snapshotNaming(wanted))
    }

    /// The snapshot's commit and the resources it names so (nil without a usable snapshot).
    private typealias Named = (head: ObjectID, found: [(kind: ResourceKind, id: String)])

    private func snapshotNaming(_ wanted: Set<String>) -> Named? {
        IndexSnapshot.resources(namedAnyOf: wanted, from: IndexSnapshot.path(gitDirectory: store.gitDirectory))
    }

    private func holders(_ wanted: Set<String>, at head: ObjectID, snapshot: Named?) throws -> [String: [(kind: ResourceKind, id: String)]] {
        let candidates = try snapshot.flatMap { try fromSnapshot($0, head: head) } ?? everyResource(at: head)
        // A few plain ASCII names appear as they are in a file's text: tested before parsing.
        let plain = wanted.count <= 8 && wanted.allSatisfy { $0.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") } }
        var out: [String: [(kind: ResourceKind, id: String)]] = [:]
        for kind in ResourceKind.all {
            for candidate in candidates where candidate.kind == kind {
                var name = candidate.name
                if name == nil, let blob = candidate.blob, let bytes = try? store.readBlob(blob) {
                    if plain, let text = String(bytes: bytes, encoding: .utf8)?.lowercased(), !wanted.contains(where: { text.contains($0) }) { continue }
                    name = (try? JSONValue.parse(bytes))?[kind.nameAttribute]?.stringValue?.lowercased()
                }
                guard let name, wanted.contains(name) else { continue }
                out[name, default: []].append((kind, candidate.id))
            }
        }
        return out
    }

    /// The resource named `name` at `head`, users before groups, as `holders` finds it; but a
    /// user the snapshot names so and who still holds the name is the answer without reading
    /// every resource changed since the snapshot (a userName is unique, whatever its case: no
    /// other user can hold it too). With a server running, the snapshot is as old as its
    /// start, and 100,000 commits later that is most of the store.
    func holder(of name: String, at head: ObjectID) throws -> (kind: ResourceKind, id: String)? {
        let wanted = name.lowercased()
        let snapshot = snapshotNaming([wanted])
        for (kind, id) in snapshot?.found ?? [] where kind == .user {
            if try self.name(of: kind, id, at: head)?.lowercased() == wanted { return (kind, id) }
        }
        return try holders([wanted], at: head, snapshot: snapshot)[wanted]?.first
    }

    /// Nil when the snapshot's commit cannot be compared with `head`.
    private func fromSnapshot(_ snapshot: Named, head: ObjectID) throws -> [Candidate]? {
        let (snapshotHead, named) = snapshot
        guard let changes = try? store.diff(from: snapshotHead, to: head) else { return nil }
        var changed = Set<String>()
        var out: [Candidate] = []
        for change in changes {
            guard case let .resource(kind, id)? = StoreLayout.entry(at: change.path), changed.insert(id).inserted else { continue }
            if let blob = change.newBlob, change.newKind == .file { out.append(Candidate(kind: kind, id: id, blob: blob)) }
        }
        for (kind, id) in named where !changed.contains(id) {
            // Named so at the snapshot and unchanged since: named so now.
            out.append(Candidate(kind: kind, id: id, blob: try store.entry(at: kind.path(of: id), in: snapshotHead)?.blob))
        }
        return out
    }

    private func everyResource(at head: ObjectID) throws -> [Candidate] {
        var out: [Candidate] = []
        for kind in ResourceKind.all {
            for file in try store.files(at: head, under: kind.folder) where file.kind == .file {
                guard case let .resource(fileKind, id)? = StoreLayout.entry(at: file.path), fileKind == kind else { continue }
                out.append(Candidate(kind: kind, id: id, blob: file.blob))
            }
        }
        return out
    }

    func name(of kind: ResourceKind, _ id: String, at commit: ObjectID) throws -> String? {
        guard let entry = try store.entry(at: kind.path(of: id), in: commit), entry.kind == .file,
              let bytes = try? store.readBlob(entry.blob) else { return nil }
        return (try? JSONValue.parse(bytes))?[kind.nameAttribute]?.stringValue
    }
}
