import Hummingbird
import Logging

/// One log line per request, at `info`: method, path, status, duration, client and request
/// id — what an admin needs to match an IdP's provisioning log with the store's commits.
///
/// Deliberately left out: the query string (Okta's `filter=userName eq "…"` carries
/// personal data), headers (`Authorization` carries the token) and bodies.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = SCIMRequestContext

    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context: context, status: response.status.code, since: start)
            return response
        } catch {
            // Not expected: SCIMErrorMiddleware, inside this one, turns errors into responses.
            log(request, context: context, status: 500, since: start)
            throw error
        }
    }

    private func log(_ request: Request, context: Context, status: Int, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let path = request.uri.path
        // Probes and scrapes come every few seconds: not worth a line each at info.
        logger.log(
            level: OperationsRoutes.handles(path) ? .debug : .info,
            "\(request.method.rawValue) \(path) \(status)",
            metadata: [
                "method": .string(request.method.rawValue),
                "path": .string(path),
                "status": .string(String(status)),
                "duration_ms": .stringConvertible((milliseconds * 10).rounded() / 10),
                "client": .string(context.client ?? "-"),
                "request_id": .string(context.requestID),
            ])
    }
}
