import Foundation
import GitStore
import SCIM
import SCIMService

/// Cursor paging (RFC 9865) pinned to a commit: the first page (an empty cursor) pins the
/// walk to the commit it starts on, and every later page is read from that commit's tree,
/// so creates, deletes and renames during the walk never make it skip or repeat a
/// resource; it returns exactly the matching resources of that commit, in that commit's
/// order. Pages are positions in that fixed list, which is why a cursor can carry one.
struct CursorWalks: Sendable {
    let codec: PageCursorCodec

    /// The page `request.cursor` asks for. `start` is the commit a new walk pins (HEAD, or
    /// the commit an `asOf` names), `required` the one every cursor must be pinned to (an
    /// `asOf`'s); `view` gives the store at a commit.
    func page(
        _ types: [ResourceType], _ request: SearchRequest, context: Caller, start: ObjectID?, required: ObjectID? = nil,
        view: (ObjectID) async throws(SCIMError) -> any ResourceService
    ) async throws(SCIMError) -> SearchResult {
        let now = Int64(Date().timeIntervalSince1970)
        let query = PageCursor.query(types, request)
        let count = request.paging.count
        let cursor: PageCursor
        if let text = request.cursor, !text.isEmpty {
            cursor = try codec.decode(text, now: now)
            guard cursor.query == query else {
                throw .invalidCursor("the cursor belongs to another query: keep the filter and sortBy of the walk's first page")
            }
            guard cursor.count == count else {
                throw .invalidCount("count must stay \(cursor.count) for the whole walk (it started with it)")
            }
            if let required, required != cursor.commit {
                throw .invalidCursor("the cursor belongs to a walk of another point in history")
            }
        } else {
            guard let start else { return SearchResult(totalResults: 0, startIndex: 1, resources: [], cursors: .init(next: nil, previous: nil)) }
            cursor = PageCursor(commit: start, offset: 0, count: count, query: query, issuedAt: now)
        }
        var paged = request
        paged.cursor = nil
        paged.paging = Paging(startIndex: cursor.offset + 1, count: count, limits: PagingLimits(defaultCount: count, maxCount: count))
        var result = try await view(cursor.commit).search(types, paged, context: context)
        let end = cursor.offset + result.resources.count
        var next: String?
        if count > 0, end < result.totalResults {
            next = try codec.encode(PageCursor(commit: cursor.commit, offset: end, count: count, query: query, issuedAt: now))
        }
        var previous: String?
        if cursor.offset > 0 {
            previous = try codec.encode(PageCursor(commit: cursor.commit, offset: max(0, cursor.offset - count), count: count, query: query, issuedAt: now))
        }
        result.cursors = .init(next: next, previous: previous)
        return result
    }
}
