import Dispatch
import Foundation
import GitStore
import Logging
import SCIM

/// Builds the indexes from the files of the store, and brings them up to date when files
/// change without the server's writer (HEAD moved by `git revert`, `scimgit rollback` in
/// another process, a hand-made commit). A file that is not a valid resource never stops
/// the server: it is logged and its id answers with a 500 until it is fixed.
struct Indexer {
    /// The working tree's files, or a commit's (an index of the store as it was then).
    let files: any ResourceFiles
    let logger: Logger

    init(store: GitStore, logger: Logger) {
        self.init(files: WorkingTreeFiles(store: store), logger: logger)
    }

    init(files: any ResourceFiles, logger: Logger) {
        self.files = files
        self.logger = logger
    }

    /// Reads every user and group file (in parallel) and returns a fresh index state.
    func build() throws -> DirectoryIndex.State {
        var resources: [(path: String, id: String, kind: ResourceKind)] = []
        var memberships: [(group: String, member: String, path: String, plain: Bool)] = []
        // Membership files are `{"type": …}` alone unless a client gave an unusual display:
        // only those few need reading.
        let plain = Set(ResourceKind.all.map { ResourceVersion.blobID(WritePlanner.membershipFile(.init(id: "", kind: $0))) })
        for (path, blob) in try files.listing() {
            switch StoreLayout.entry(at: path) {
            case let .resource(kind, id): resources.append((path, id, kind))
            case let .membership(group, member): memberships.append((group, member, path, plain.contains(blob.hex)))
            case nil: continue
            }
        }
        let toRead = resources
        // Each worker keeps only the summary: holding 100,000 parsed documents at once would
        // cost hundreds of MB that malloc never gives back.
        let parsed = parallelMap(toRead.count) { position in
            read(toRead[position].path).map { ResourceSummary(kind: toRead[position].kind, document: $0) }
        }
        var summaries: [(id: String, summary: ResourceSummary)] = []
        var broken: [String: String] = [:]
        for (position, resource) in resources.enumerated() {
            switch parsed[position] {
            case let .success(summary):
                summaries.append((resource.id, summary))
            case let .failure(failure):
                broken[resource.id] = resource.path
                logger.error("cannot read \(resource.path): \(failure.reason); it answers 500 until fixed (see scimgit verify)")
            }
        }
        var state = DirectoryIndex.State(unordered: consume summaries)
        state.broken = broken
        for membership in memberships {
            state.addMember(membership.member, to: membership.group, kind: state.kind(of: membership.member) ?? .user)
            if !membership.plain {
                state.setMemberDisplay(display(membership.path), member: membership.member, group: membership.group)
            }
        }
        return state
    }

    /// Re-reads the given paths into `state`.
    func apply(_ paths: [String], to state: inout DirectoryIndex.State) {
        var resources: [(id: String, kind: ResourceKind, path: String)] = []
        var memberships: [(group: String, member: String, path: String)] = []
        for path in paths {
            switch StoreLayout.entry(at: path) {
            case let .resource(kind, id): resources.append((id, kind, path))
            case let .membership(group, member): memberships.append((group, member, path))
            case nil: continue
            }
        }
        // An import or a large rollback changes many files: read them on every core.
        let toRead = resources
        let summary: @Sendable (Int) -> Result<ResourceSummary, ReadFailure> = { position in
            read(toRead[position].path).map { ResourceSummary(kind: toRead[position].kind, document: $0) }
        }
        let outcomes = toRead.count >= 64 ? parallelMap(toRead.count, summary) : toRead.indices.map(summary)
        var upserts: [(id: String, summary: ResourceSummary)] = []
        for (resource, outcome) in zip(resources, outcomes) {
            switch outcome {
            case let .success(summary):
                upserts.append((resource.id, summary))
            case let .failure(failure) where failure.missing:
                state.remove(resource.id)
                state.broken[resource.id] = nil
            case let .failure(failure):
                state.remove(resource.id)
                state.broken[resource.id] = resource.path
                logger.error("cannot read \(resource.path): \(failure.reason); it answers 500 until fixed (see scimgit verify)")
            }
        }
        state.upsert(upserts)
        for (group, member, path) in memberships {
            if let bytes = (try? files.read(path)) ?? nil {
                state.addMember(member, to: group, kind: state.kind(of: member) ?? .user)
                state.setMemberDisplay(MemberDisplay.read(bytes), member: member, group: group)
            } else {
                state.removeMember(member, from: group)
            }
        }
    }

    private func display(_ path: String) -> MemberDisplay? {
        ((try? files.read(path)) ?? nil).flatMap(MemberDisplay.read)
    }

    struct ReadFailure: Error {
        var reason: String
        var missing = false
    }

    private func read(_ path: String) -> Result<[String: JSONValue], ReadFailure> {
        do {
            guard let bytes = try files.read(path) else { return .failure(ReadFailure(reason: "missing", missing: true)) }
            guard case let .object(document) = try JSONValue.parse(bytes) else {
                return .failure(ReadFailure(reason: "not a JSON object"))
            }
            return .success(document)
        } catch {
            return .failure(ReadFailure(reason: "\(error)"))
        }
    }
}
