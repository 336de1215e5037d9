import SCIM
import SCIMService

/// `GET` of one resource and list/search over one set of indexes and files: the store as it
/// is now (the working tree) or as it was at a commit. One implementation, so an answer as
/// of a past point is exactly what the API answered then.
struct DirectoryReads: Sendable {
    let resources: StoredResources
    let renderer: ResourceRenderer
    let searchEngine: SearchEngine

    func get(_ type: ResourceType, id: String, projection: Projection, ifNoneMatch: EntityTagList?, baseURL: String) throws(SCIMError) -> ReadResult {
        let kind = try ResourceKind.required(type)
        let id = id.lowercased()
        guard let bytes = try resources.bytes(kind, id) else {
            throw SCIMError.notFound("\(type.name) \(id) not found")
        }
        // The version is the file's blob id: a 304 is decided before anything is rendered.
        let version = ResourceVersion.of(bytes)
        if let ifNoneMatch, ifNoneMatch.matches(version) { return .notModified(version: version) }
        return .resource(try resources.render(
            bytes, kind, id, type: type, projection: projection, baseURL: baseURL, renderer: renderer, version: version))
    }

    func search(_ types: [ResourceType], _ request: SearchRequest, baseURL: String) async throws(SCIMError) -> SearchResult {
        if searchEngine.readsEveryFile(types, request) {
            let engine = searchEngine
            return try await ScanQueue.run { () throws(SCIMError) in try engine.search(types, request, baseURL: baseURL) }
        }
        return try searchEngine.search(types, request, baseURL: baseURL)
    }
}
