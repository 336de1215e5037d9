import GitStore
import SCIM

/// Reads resources as committed, from their working-tree files: the read path of every
/// request (no lock, no git: files are replaced atomically).
struct StoredResources: Sendable {
    let store: GitStore
    let index: DirectoryIndex

    func read(_ kind: ResourceKind, _ id: String) throws(SCIMError) -> StoredDocument? {
        guard StoreLayout.isValidID(id) else { return nil }
        return try CommittedFiles.read(kind.path(of: id), id: id, kind: kind, store: store, index: index)
    }

    /// A resource as the API answers with it by default (no `attributes`): from the file's
    /// bytes without a parse when possible (`ResourceRenderer.render(bytes:…)`), else parsed
    /// and rendered. Nil when there is no such resource.
    func render(
        _ kind: ResourceKind, _ id: String, type: ResourceType, baseURL: String, renderer: ResourceRenderer
    ) throws(SCIMError) -> ResourceRecord? {
        guard StoreLayout.isValidID(id) else { return nil }
        let path = kind.path(of: id)
        guard let bytes = try CommittedFiles.readBytes(path, id: id, store: store, index: index) else { return nil }
        if let record = renderer.render(bytes: bytes, kind: kind, type: type, id: id, baseURL: baseURL) { return record }
        let stored = try CommittedFiles.parse(bytes, path: path, kind: kind)
        return renderer.render(stored, type: type, id: id, projection: .default, baseURL: baseURL)
    }

}
