/// `startIndex`/`count` of a list query (RFC 7644 §3.4.2.4), normalised.
///
/// The RFC's rules: `startIndex` is 1-based and a value below 1 means 1; a negative
/// `count` means 0 (only `totalResults` is wanted); no `count` means the server's default.
/// The server also caps `count` at its maximum page size (RFC: the server MAY return
/// fewer results than requested), so one request cannot make it serialise the whole store.
public struct Paging: Sendable, Hashable {
    /// 1-based index of the first result returned; at least 1.
    public var startIndex: Int
    /// Maximum number of results returned; 0...limits.maxCount.
    public var count: Int

    public init(startIndex: Int? = nil, count: Int? = nil, limits: PagingLimits = PagingLimits()) {
        self.startIndex = max(1, startIndex ?? 1)
        self.count = min(max(0, count ?? limits.defaultCount), limits.maxCount)
    }

    /// The 0-based indices of the page within `totalResults` sorted results.
    public func range(totalResults: Int) -> Range<Int> {
        let lower = min(startIndex - 1, totalResults)
        let upper = lower + min(count, totalResults - lower)
        return lower..<upper
    }

    /// The page of `items` (already filtered and sorted).
    public func page<T>(of items: [T]) -> ArraySlice<T> {
        items[range(totalResults: items.count)]
    }
}

/// The server's page sizes.
public struct PagingLimits: Sendable, Hashable {
    /// Results returned when the client gives no `count`.
    public var defaultCount: Int
    /// The largest page returned, whatever the client asks.
    public var maxCount: Int

    public init(defaultCount: Int = 100, maxCount: Int = 1000) {
        self.maxCount = max(0, maxCount)
        self.defaultCount = min(max(0, defaultCount), self.maxCount)
    }
}
