import Hummingbird
import Logging
import NIOHTTP1
import SCIM

/// The one place every response passes through on its way out, so that what a client
/// sees is uniform whatever produced it:
///
/// - every error becomes an RFC 7644 §3.12 Error body with the matching status: the
///   service's `SCIMError`s, the HTTP layer's own (`SCIMHTTPError`), and what Hummingbird
///   throws itself (no route → `404`, or `405` with `Allow` when the path exists under
///   another method; any other `HTTPResponseError` keeps its status). A body whose HTTP
///   framing is broken (a bad chunk size, a body cut short) is the client's mistake, seen
///   only once the handler reads it: `400 invalidSyntax`, and the connection is closed,
///   since where the next request would start is unknown. Anything unexpected is a `500`
///   with a generic detail, the real error going to the log with the request id;
/// - every response, success or error, gets `Content-Type: application/scim+json` and
///   `Cache-Control: no-store`.
///
/// Okta fails on an error body that is not JSON, so no error may bypass this middleware: it
/// is installed on the router ahead of every route and of the not-found responder.
struct SCIMErrorMiddleware: RouterMiddleware {
    typealias Context = SCIMRequestContext

    let routes: RouteTable
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Probes and scrapers get plain text.
        if OperationsRoutes.handles(request.uri.path) { return try await next(request, context) }
        // The admin console answers in HTML and handles its own failures.
        if request.uri.path == ConsoleHTTP.path || request.uri.path.hasPrefix(ConsoleHTTP.path + "/") {
            do {
                return try await next(request, context)
            } catch {
                logger.error("console: unexpected error", metadata: ["request_id": .string(context.requestID), "error": .string(String(reflecting: error))])
                return ConsoleHTTP.page("<!doctype html><title>Error</title><p>Something went wrong; the server log says what (request \(context.requestID)).</p>", status: .internalServerError)
            }
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let mapped = map(error, request: request, context: context)
            response = SCIMResponse.error(mapped.error, headers: mapped.headers)
        }
        response.headers[.contentType] = SCIMResponse.mediaType
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// The SCIM error (and extra headers) a thrown error is answered with.
    func map(_ error: any Error, request: Request, context: Context) -> SCIMHTTPError {
        switch error {
        case let error as SCIMHTTPError:
            return error
        case let error as SCIMError:
            return SCIMHTTPError(error, headers: error.retryAfter.map { [.retryAfter: String($0)] } ?? [:])
        case let error as any HTTPResponseError:
            return mapFramework(error, request: request)
        case let error as HTTPParserError:
            logger.debug("malformed HTTP framing in a request body", metadata: [
                "request_id": .string(context.requestID), "error": .string(String(describing: error)),
            ])
            return SCIMHTTPError(
                .invalidSyntax("the request body is not valid HTTP/1.1 (\(error)); the connection is closed"),
                headers: [.connection: "close"])
        default:
            var metadata: Logger.Metadata = ["request_id": .string(context.requestID), "error": .string(String(reflecting: error))]
            metadata["path"] = .string(request.uri.path)
            logger.error("unexpected error while handling a request", metadata: metadata)
            return SCIMHTTPError(.internalError("internal server error (request id \(context.requestID))"))
        }
    }

    private func mapFramework(_ error: any HTTPResponseError, request: Request) -> SCIMHTTPError {
        let path = String(request.uri.path.prefix(256))
        if error.status == .notFound {
            // Hummingbird's router answers both "no such path" and "no such method" with 404.
            if let allowed = routes.allowedMethods(forPath: request.uri.path) {
                let list = allowed.map(\.rawValue).joined(separator: ", ")
                return SCIMHTTPError(
                    .methodNotAllowed("\(request.method.rawValue) is not allowed on \(path); allowed: \(list)"),
                    headers: [.allow: list])
            }
            return SCIMHTTPError(.notFound("no SCIM endpoint at \(path)"))
        }
        var detail = error.status.reasonPhrase
        if let httpError = error as? HTTPError, let message = httpError.body, !message.isEmpty { detail = message }
        let status = (400...599).contains(error.status.code) ? error.status.code : 500
        return SCIMHTTPError(SCIMError(status: status, detail: detail))
    }
}
