import Foundation
import HTTPTypes
import Hummingbird
import SCIM
import SCIMService

/// Reads as of a past point: `Accept-Datetime` (RFC 7089 Memento, an HTTP date) or the
/// `asOf` query parameter (a commit id, a snapshot's name, or a time) for tools that cannot
/// set headers; `asOf` wins when both are sent. The answer carries `Memento-Datetime`, the
/// time of the commit it was read from. History is read-only: a write with either is
/// refused before it reaches the store.
enum MementoRequest {
    static func point(_ request: Request) throws(SCIMError) -> HistoryPoint? {
        if let asOf = try QueryParameters(request.uri.query)["asOf"] {
            guard !asOf.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw .invalidValue("asOf is empty: give a commit id, a snapshot name or a time (2026-11-29T02:00:00Z)")
            }
            return .named(asOf)
        }
        guard let header = request.headers[.acceptDatetime] else { return nil }
        guard let date = parseHTTPDate(header) else {
            throw .invalidValue("Accept-Datetime must be an HTTP date, e.g. Sun, 29 Nov 2026 02:00:00 GMT")
        }
        return .time(Int64(date.timeIntervalSince1970))
    }

    static func refuseOnWrite(_ request: Request) throws(SCIMError) {
        guard try point(request) != nil else { return }
        throw .badRequest("asOf and Accept-Datetime are for reads: the store's history is read-only; send the write without them")
    }

    static func headers(_ past: HistoricalService) -> HTTPFields {
        [.mementoDatetime: HTTPDateHeader.format(Date(timeIntervalSince1970: TimeInterval(past.committedAt)))]
    }

    /// RFC 9110's preferred form (`Sun, 06 Nov 1994 08:49:37 GMT`), the one RFC 7089 requires.
    static func parseHTTPDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces))
    }
}

extension SCIMHandlers {
    /// The service to read from (the store now, or as of the request's point) and the
    /// headers its answer carries.
    func reader(_ request: Request, _ context: SCIMRequestContext) async throws -> (service: any ResourceService, headers: HTTPFields) {
        guard let point = try MementoRequest.point(request) else { return (service, [:]) }
        let past = try await service.asOf(point, context: serviceContext(request, context))
        return (past.service, MementoRequest.headers(past))
    }
}
