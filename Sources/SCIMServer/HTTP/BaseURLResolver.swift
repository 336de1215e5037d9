import Hummingbird

/// The SCIM base URL a request reached, for `meta.location`, `Location` and `$ref`.
///
/// Configured `publicBaseURL` wins. Otherwise it is `scheme://host` + base path, where the
/// scheme is the one this server speaks (https when it serves TLS) and the host is the
/// request's `Host`; with `trustForwardedHeaders`, `X-Forwarded-Proto` and
/// `X-Forwarded-Host` (first value of each) take precedence, as set by a reverse proxy.
/// A host that does not look like `name[:port]` or `[v6][:port]` is ignored (falling back
/// to the listening address), so no header can inject text into a stored or returned URL.
struct BaseURLResolver: Sendable {
    let publicBaseURL: String?
    let basePath: String
    let scheme: String
    let trustForwardedHeaders: Bool
    let fallbackAuthority: String

    init(configuration: SCIMServerConfiguration) {
        publicBaseURL = configuration.publicBaseURL.map(BaseURLResolver.trimmingTrailingSlashes)
        basePath = configuration.normalizedBasePath
        scheme = configuration.tls == nil ? "http" : "https"
        trustForwardedHeaders = configuration.trustForwardedHeaders
        var host = configuration.host
        if host == "0.0.0.0" || host == "::" || host.isEmpty { host = "localhost" }
        if host.contains(":") { host = "[\(host)]" }
        fallbackAuthority = "\(host):\(configuration.port)"
    }

    /// The base URL `request` reached; for a tenant, with `/{tenant}` after the base path
    /// (a configured public URL names the server, and each tenant is a path below it).
    func baseURL(for request: Request, tenant: String?) -> String {
        let base = baseURL(for: request)
        return tenant.map { base + "/" + $0 } ?? base
    }

    func baseURL(for request: Request) -> String {
        if let publicBaseURL { return publicBaseURL }
        var scheme = self.scheme
        var authority: String?
        if trustForwardedHeaders {
            if let proto = BaseURLResolver.firstValue(request.headers[.xForwardedProto])?.lowercased(), proto == "http" || proto == "https" {
                scheme = proto
            }
            authority = BaseURLResolver.firstValue(request.headers[.xForwardedHost]).flatMap(BaseURLResolver.validAuthority)
        }
        if authority == nil {
            authority = request.head.authority.flatMap(BaseURLResolver.validAuthority)  // the Host header
        }
        return "\(scheme)://\(authority ?? fallbackAuthority)\(basePath)"
    }

    static func firstValue(_ header: String?) -> String? {
        guard let header else { return nil }
        let first = header.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let trimmed = first.trimmingASCIIWhitespace
        return trimmed.isEmpty ? nil : trimmed
    }

    /// `host`, `host:port`, `[v6]` or `[v6]:port`, lowercased; nil for anything else.
    /// (Checked byte by byte: it runs on every request.)
    static func validAuthority(_ text: String) -> String? {
        let text = text.trimmingASCIIWhitespace.lowercased()
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 261 else { return nil }
        var portStart: Int?
        if bytes[0] == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")), close > 1 else { return nil }
            guard bytes[1..<close].allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) else { return nil }
            if close + 1 < bytes.count {
                guard bytes[close + 1] == UInt8(ascii: ":") else { return nil }
                portStart = close + 2
            }
        } else {
            let colon = bytes.firstIndex(of: UInt8(ascii: ":"))
            let host = bytes[..<(colon ?? bytes.count)]
            guard !host.isEmpty, host.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }) else {
                return nil
            }
            portStart = colon.map { $0 + 1 }
        }
        if let portStart {
            let port = bytes[portStart...]
            guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                  port.reduce(0, { $0 * 10 + Int($1 - UInt8(ascii: "0")) }) <= 65535 else {
                return nil
            }
        }
        return text
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    static func trimmingTrailingSlashes(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
