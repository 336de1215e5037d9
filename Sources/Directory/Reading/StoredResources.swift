import GitStore
import SCIM

/// Reads resources as committed, from their working-tree files: the read path of every
/// request (no lock, no git: files are replaced atomically).
struct StoredResources: Sendable {
    let store: GitStore
    let index: DirectoryIndex

    func read(_ kind: MemberKind, _ id: String) throws(SCIMError) -> StoredDocument? {
        guard StoreLayout.isValidID(id) else { return nil }
        let path = kind == .user ? StoreLayout.userPath(id) : StoreLayout.groupPath(id)
        return try CommittedFiles.read(path, id: id, kind: kind, store: store, index: index)
    }
}
