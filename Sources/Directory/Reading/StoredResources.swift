import GitStore
import SCIM
import SCIMService

/// Reads resources as committed, from their working-tree files: the read path of every
/// request (no lock, no git: files are replaced atomically); or from one commit's tree for
/// a read as of a past point.
struct StoredResources: Sendable {
    let files: any ResourceFiles
    let index: DirectoryIndex

    init(store: GitStore, index: DirectoryIndex) {
        self.init(files: WorkingTreeFiles(store: store), index: index)
    }

    init(files: any ResourceFiles, index: DirectoryIndex) {
        self.files = files
        self.index = index
    }

    func read(_ kind: ResourceKind, _ id: String) throws(SCIMError) -> StoredDocument? {
        guard StoreLayout.isValidID(id) else { return nil }
        return try CommittedFiles.read(kind.path(of: id), id: id, kind: kind, files: files, index: index)
    }

    /// The resource file's bytes, unparsed (nil: no such resource).
    func bytes(_ kind: ResourceKind, _ id: String) throws(SCIMError) -> [UInt8]? {
        guard StoreLayout.isValidID(id) else { return nil }
        return try CommittedFiles.readBytes(kind.path(of: id), id: id, files: files, index: index)
    }

    /// A resource as the API answers with it by default (no `attributes`): from the file's
    /// bytes without a parse when possible (`ResourceRenderer.render(bytes:…)`), else parsed
    /// and rendered. Nil when there is no such resource.
    func render(
        _ kind: ResourceKind, _ id: String, type: ResourceType, baseURL: String, renderer: ResourceRenderer
    ) throws(SCIMError) -> ResourceRecord? {
        guard let bytes = try bytes(kind, id) else { return nil }
        return try render(bytes, kind, id, type: type, projection: .default, baseURL: baseURL, renderer: renderer)
    }

    /// A resource rendered from bytes already read: straight from them for the default
    /// projection when they are as scimgit writes them, else parsed first.
    func render(
        _ bytes: [UInt8], _ kind: ResourceKind, _ id: String, type: ResourceType, projection: Projection, baseURL: String,
        renderer: ResourceRenderer, version: String? = nil
    ) throws(SCIMError) -> ResourceRecord {
        if projection.isIdentity(for: type), let record = renderer.render(bytes: bytes, kind: kind, type: type, id: id, baseURL: baseURL, version: version) {
            return record
        }
        let stored = try CommittedFiles.parse(bytes, path: kind.path(of: id), kind: kind)
        return renderer.render(stored, type: type, id: id, projection: projection, baseURL: baseURL)
    }
}
