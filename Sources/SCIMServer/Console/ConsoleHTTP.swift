import Hummingbird
import NIOCore

/// Reading forms and cookies, and writing pages, the way every console route does.
enum ConsoleHTTP {
    static let sessionCookie = "scimgit_session"
    static let signInCookie = "scimgit_signin"
    static let path = "/admin"

    /// A page with the headers that keep it in its place: no caching, no framing, no
    /// script, no style or image from anywhere, forms posting only here.
    static func page(_ html: HTML, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .cacheControl: "no-store",
            .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            .xFrameOptions: "DENY",
            .xContentTypeOptions: "nosniff",
            .referrerPolicy: "no-referrer",
        ]
        for field in extra { headers.append(field) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html.text)))
    }

    /// 303 to `location` (after a form, so reloading does not post it again).
    static func redirect(_ location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        for field in extra { headers.append(field) }
        return Response(status: .seeOther, headers: headers)
    }

    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == name { return String(parts[1]) }
            }
        }
        return nil
    }

    /// `name=value; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=…` (and `Secure` when the
    /// console is reached over HTTPS). `maxAge` 0 removes the cookie.
    static func setCookie(_ name: String, _ value: String, maxAge: Int, secure: Bool) -> HTTPFields {
        [.setCookie: "\(name)=\(value); Path=\(path); HttpOnly; SameSite=Strict; Max-Age=\(maxAge)\(secure ? "; Secure" : "")"]
    }

    /// An `application/x-www-form-urlencoded` body (at most 64 KiB).
    static func form(_ request: Request) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        let text = String(buffer: buffer)
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentDecoding.decode(parts[0], plusAsSpace: true) else { continue }
            fields[name] = parts.count == 2 ? PercentDecoding.decode(parts[1], plusAsSpace: true) ?? "" : ""
        }
        return fields
    }

    /// A query parameter, decoded ("" when absent or malformed).
    static func query(_ name: String, _ request: Request) -> String {
        ((try? QueryParameters(request.uri.query))?[name]) ?? ""
    }
}
