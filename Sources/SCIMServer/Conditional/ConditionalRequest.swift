import Hummingbird
import SCIMService

/// The conditional-request headers of RFC 7644 §3.14, as the handlers pass them on.
///
/// - `If-Match` on PUT, PATCH and DELETE goes to the service, which compares it with the
///   stored version under its write lock and answers `412`.
/// - `If-None-Match` on GET goes to the service too, which compares it with the version it
///   read before rendering anything: a match is `304 Not Modified` with an empty body.
enum ConditionalRequest {
    static func ifMatch(_ request: Request) -> EntityTagList? {
        EntityTagList(headerValues: request.headers[values: .ifMatch])
    }

    static func ifNoneMatch(_ request: Request) -> EntityTagList? {
        EntityTagList(headerValues: request.headers[values: .ifNoneMatch])
    }
}
