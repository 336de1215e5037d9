import Hummingbird
import Logging

/// Gives every request an id (`X-Request-Id` if sane, else a new one), puts it in the
/// context and the request logger, and echoes it in the response's `X-Request-Id`. It runs
/// first, so every response carries the id, errors included.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = SCIMRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let id = RequestID.accepting(request.headers[.xRequestID])
        context.requestID = id
        context.logger[metadataKey: "request_id"] = .string(id)
        var response = try await next(request, context)
        response.headers[.xRequestID] = id
        return response
    }
}
