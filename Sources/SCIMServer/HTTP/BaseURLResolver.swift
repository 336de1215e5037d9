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
    static func validAuthority(_ text: String) -> String? {
        let text = text.trimmingASCIIWhitespace.lowercased()
        guard !text.isEmpty, text.utf8.count <= 261 else { return nil }
        var host = Substring(text)
        var port: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            let inside = host[host.index(after: host.startIndex)..<close]
            guard !inside.isEmpty, inside.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
            let rest = host[host.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return nil }
                port = rest.dropFirst()
            }
            host = host[...close]
        } else {
            if let colon = host.firstIndex(of: ":") {
                port = host[host.index(after: colon)...]
                host = host[..<colon]
            }
            guard !host.isEmpty, host.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "." || $0 == "-" || $0 == "_" }) else {
                return nil
            }
        }
        if let port {
            guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(port), number <= 65535 else {
                return nil
            }
        }
        return text
    }

    static func trimmingTrailingSlashes(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
