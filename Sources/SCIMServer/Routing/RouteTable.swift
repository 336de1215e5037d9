import Hummingbird

/// The registered path patterns and their methods, to tell "no such endpoint" (404) from
/// "no such method on this endpoint" (405): Hummingbird's router answers both with 404.
///
/// Matching follows the router: segments compare exactly, `:name` matches any one segment,
/// and among patterns matching a path the one with the most literal segments wins (so
/// `GET /Users/.search` is a 405 for `/Users/.search`, not a read of id `.search`).
struct RouteTable: Sendable {
    private enum Segment: Sendable, Hashable {
        case literal(String)
        case parameter
    }

    private struct Pattern: Sendable {
        var segments: [Segment]
        var methods: Set<HTTPRequest.Method>
        var literalCount: Int { segments.filter { if case .literal = $0 { true } else { false } }.count }
    }

    private let patterns: [Pattern]

    /// `routes`' paths under `basePath`. HEAD is allowed wherever GET is (it is generated).
    init(routes: [Route], basePath: String) {
        var patterns: [[Segment]: Set<HTTPRequest.Method>] = [:]
        var order: [[Segment]] = []
        for route in routes {
            let segments = RouteTable.split(basePath + route.path).map { part -> Segment in
                part.hasPrefix(":") ? .parameter : .literal(part)
            }
            if patterns[segments] == nil { order.append(segments) }
            patterns[segments, default: []].insert(route.method)
            if route.method == .get { patterns[segments, default: []].insert(.head) }
        }
        self.patterns = order.map { Pattern(segments: $0, methods: patterns[$0]!) }
    }

    /// The methods allowed on `path`, in a stable order; nil when no endpoint has that path.
    func allowedMethods(forPath path: String) -> [HTTPRequest.Method]? {
        let parts = RouteTable.split(path)
        let matching = patterns.filter { pattern in
            pattern.segments.count == parts.count
                && zip(pattern.segments, parts).allSatisfy { segment, part in
                    if case .literal(let literal) = segment { return literal == part }
                    return true
                }
        }
        guard let best = matching.map(\.literalCount).max() else { return nil }
        let methods = matching.filter { $0.literalCount == best }.reduce(into: Set<HTTPRequest.Method>()) { $0.formUnion($1.methods) }
        let order: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete]
        return order.filter(methods.contains) + methods.filter { !order.contains($0) }.sorted { $0.rawValue < $1.rawValue }
    }

    private static func split(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }
}
