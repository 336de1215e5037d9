import Logging
import SCIM
import SCIMService

/// Answers list and filter queries from the indexes: an equality the filter requires
/// (`userName eq`, `externalId eq`, `emails.value eq`, `displayName eq`, `id eq`,
/// `active eq`) narrows the candidates through an index; every candidate is still checked
/// against the whole filter. Results come in creation order (stable from page to page,
/// new resources at the end) unless `sortBy` asks otherwise; only the requested page is
/// rendered. Filters no index helps (`name.familyName co "x"`) read every file of the type.
struct SearchEngine {
    let index: DirectoryIndex
    let store: StoredResources
    let renderer: ResourceRenderer
    let logger: Logger

    /// A resource that matched: which of the searched types, its id, and its document when
    /// it was already read (to check a filter).
    private struct Match {
        var type: Int
        var id: String
        var stored: StoredDocument?
    }

    func search(_ types: [ResourceType], _ request: SearchRequest, baseURL: String) throws(SCIMError) -> SearchResult {
        if request.filter == nil && request.sort == nil {
            return try page(types, request, baseURL: baseURL)
        }
        var matches: [Match] = []
        for (position, type) in types.enumerated() {
            matches += try self.matches(type, position, request)
        }
        if let sort = request.sort {
            for position in matches.indices where matches[position].stored == nil {
                matches[position].stored = try load(types[matches[position].type], matches[position].id)
            }
            matches.removeAll { $0.stored == nil }
            let keyed = matches.enumerated().map { (position: $0.offset, match: $0.element, key: sort.key(for: .object($0.element.stored!.document))) }
            matches = keyed.sorted { a, b in
                let order = sort.compare(a.key, b.key)
                return order == 0 ? a.position < b.position : order < 0
            }.map(\.match)
        }
        let range = request.paging.range(totalResults: matches.count)
        var records: [ResourceRecord] = []
        records.reserveCapacity(range.count)
        for position in range {
            let match = matches[position]
            var stored = match.stored
            if stored == nil { stored = try load(types[match.type], match.id) }
            guard let stored else { continue }
            records.append(renderer.render(stored, type: types[match.type], id: match.id, projection: request.projection, baseURL: baseURL))
        }
        return SearchResult(totalResults: matches.count, startIndex: request.paging.startIndex, resources: records)
    }

    /// True when answering means reading every resource of a type: a sort, or a filter
    /// without an equality an index serves. Such searches run on the `ScanQueue`.
    func readsEveryFile(_ types: [ResourceType], _ request: SearchRequest) -> Bool {
        if request.sort != nil { return true }
        guard let filter = request.filter else { return false }
        return types.contains { type in
            guard let kind = ResourceKind.of(type) else { return false }
            let indexed = Set(kind.indexedPaths.map(\.path)).union(["id"])
            return !filter.requiredEqualities(for: type).contains { indexed.contains($0.path) }
        }
    }

    /// No filter, no sort (Okta's import, a plain list): the page is a slice of the
    /// creation-order lists; only its resources are read.
    private func page(_ types: [ResourceType], _ request: SearchRequest, baseURL: String) throws(SCIMError) -> SearchResult {
        let lists = index.read { state in types.map { type in ResourceKind.of(type).flatMap { state.order[$0] } ?? [] } }
        let total = lists.reduce(0) { $0 + $1.count }
        let range = request.paging.range(totalResults: total)
        var records: [ResourceRecord] = []
        records.reserveCapacity(range.count)
        var offset = range.lowerBound
        var list = 0
        var skipped = 0
        while offset < range.upperBound && list < lists.count {
            if offset - skipped >= lists[list].count {
                skipped += lists[list].count
                list += 1
                continue
            }
            let id = lists[list][offset - skipped]
            if request.projection.isIdentity(for: types[list]), let kind = ResourceKind.of(types[list]) {
                if let record = try store.render(kind, id, type: types[list], baseURL: baseURL, renderer: renderer) { records.append(record) }
            } else if let stored = try load(types[list], id) {
                records.append(renderer.render(stored, type: types[list], id: id, projection: request.projection, baseURL: baseURL))
            }
            offset += 1
        }
        return SearchResult(totalResults: total, startIndex: request.paging.startIndex, resources: records)
    }

    private func matches(_ type: ResourceType, _ typePosition: Int, _ request: SearchRequest) throws(SCIMError) -> [Match] {
        guard let kind = ResourceKind.of(type) else { return [] }
        guard let filter = request.filter else {
            return index.read { $0.order[kind] ?? [] }.map { Match(type: typePosition, id: $0, stored: nil) }
        }
        let candidates = self.candidates(filter, type: type, kind: kind)
        let matcher = FilterMatcher(filter, for: type)
        let derived = FilterInspection.mentions(filter, kind.derivedAttribute)
        var out: [Match] = []
        for id in candidates {
            let loaded: StoredDocument?
            do {
                loaded = try load(type, id)
            } catch {
                logger.warning("skipping \(type.name) \(id) in a search: its file cannot be read")
                continue
            }
            guard let stored = loaded else { continue }
            var document = stored.document
            if derived {
                let rendered = renderer.render(stored, type: type, id: id, projection: .default, baseURL: "")
                document = rendered.document.objectValue ?? document
            }
            if matcher.matches(document) { out.append(Match(type: typePosition, id: id, stored: stored)) }
        }
        return out
    }

    /// The ids worth checking, in creation order.
    private func candidates(_ filter: Filter, type: ResourceType, kind: ResourceKind) -> [String] {
        let terms = filter.requiredEqualities(for: type)
        return index.read { state -> [String] in
            for term in terms {
                if term.path == "id" {
                    guard let id = term.value.stringValue?.lowercased(), state.kind(of: id) == kind else { return [] }
                    return [id]
                }
                guard let caseExact = kind.indexedPaths.first(where: { $0.path == term.path })?.caseExact,
                      let ids = state.ids(path: term.path, key: ResourceSummary.key(term.value, caseExact: caseExact), kind: kind)
                else { continue }
                return ids.sorted { left, right in
                    let a = state.summary(left)?.created ?? 0, b = state.summary(right)?.created ?? 0
                    return a == b ? left < right : a < b
                }
            }
            return state.order[kind] ?? []
        }
    }

    private func load(_ type: ResourceType, _ id: String) throws(SCIMError) -> StoredDocument? {
        guard let kind = ResourceKind.of(type) else { return nil }
        return try store.read(kind, id)
    }
}

/// What a filter refers to, to know whether derived attributes must be computed first.
enum FilterInspection {
    static func mentions(_ filter: Filter, _ attribute: String) -> Bool {
        switch filter {
        case let .compare(path, _, _), let .present(path):
            return path.schema == nil && path.attribute.lowercased() == attribute.lowercased()
        case let .and(left, right), let .or(left, right):
            return mentions(left, attribute) || mentions(right, attribute)
        case let .not(inner):
            return mentions(inner, attribute)
        case let .valuePath(path, _):
            return path.schema == nil && path.attribute.lowercased() == attribute.lowercased()
        }
    }
}
