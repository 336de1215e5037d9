import Directory
import Hummingbird

/// The conditional-request headers of RFC 7644 §3.14, as the handlers use them.
///
/// - `If-Match` on PUT, PATCH and DELETE becomes a `Precondition` passed to the service,
///   which compares it with the stored version under its write lock and answers `412`.
/// - `If-None-Match` on GET is checked here against the version read: a match is `304 Not
///   Modified` with an empty body.
enum ConditionalRequest {
    static func precondition(of request: Request) -> Precondition? {
        switch EntityTagList(headerValues: request.headers[values: .ifMatch]) {
        case nil: return nil
        case .any: return .any
        case .tags(let tags): return .versions(tags)
        }
    }

    static func isNotModified(_ request: Request, version: String) -> Bool {
        EntityTagList(headerValues: request.headers[values: .ifNoneMatch])?.matches(version) ?? false
    }
}
