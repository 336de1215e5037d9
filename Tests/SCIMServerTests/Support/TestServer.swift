import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SCIM
@testable import SCIMServer

/// Builds applications the way `scimgit serve` does, with two configured clients, and
/// helpers to send SCIM requests and read SCIM answers.
enum TestServer {
    static let base = "/scim/v2"
    static let oktaToken = "okta-secret-0123456789abcdef"
    static let entraToken = "entra-secret-0123456789abcdef"

    static func tokens() throws -> ConfiguredTokenVerifier {
        try ConfiguredTokens.verifier(entries: ["okta=\(oktaToken)", "entra=\(entraToken)"], environment: [:])
    }

    static func configuration(_ adjust: (inout SCIMServerConfiguration) -> Void = { _ in }) throws -> SCIMServerConfiguration {
        var configuration = SCIMServerConfiguration(port: 0, tokenVerifiers: [try tokens()])
        adjust(&configuration)
        return configuration
    }

    /// An application over `service` (a fresh in-memory one by default).
    static func application(
        service: InMemoryResourceService = InMemoryResourceService(),
        logger: Logger = Logger(label: "scimgit.test", factory: { _ in SwiftLogNoOpLogHandler() }),
        _ adjust: (inout SCIMServerConfiguration) -> Void = { _ in },
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        try buildSCIMApplication(service: service, configuration: configuration(adjust), logger: logger, onServerRunning: onServerRunning)
    }
}

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-Id")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let forwardedHost = HTTPField.Name("X-Forwarded-Host")!
}

extension TestClientProtocol {
    /// Sends a request as the `okta` client (unless `token` says otherwise; nil sends no
    /// `Authorization`). `json` is serialised as the body; `body` sends raw bytes.
    @discardableResult
    func scim(
        _ method: HTTPRequest.Method, _ path: String, token: String? = TestServer.oktaToken,
        headers: HTTPFields = [:], json: JSONValue? = nil, body: [UInt8]? = nil
    ) async throws -> TestResponse {
        var headers = headers
        if let token, headers[.authorization] == nil { headers[.authorization] = "Bearer \(token)" }
        var buffer: ByteBuffer?
        if let json {
            buffer = ByteBuffer(bytes: json.serialized(.compact))
            if headers[.contentType] == nil { headers[.contentType] = "application/scim+json; charset=utf-8" }
        } else if let body {
            buffer = ByteBuffer(bytes: body)
        }
        return try await execute(uri: path.hasPrefix("/") ? path : TestServer.base + "/" + path, method: method, headers: headers, body: buffer)
    }

    /// Creates a user from the Okta fixture with `userName` and returns its id.
    func createUser(_ userName: String, extra: [String: JSONValue] = [:], path: String = "Users", token: String = TestServer.oktaToken) async throws -> String {
        var user = try Fixtures.json("okta/create-user.json")
        user["userName"] = .string(userName)
        for (key, value) in extra { user[key] = value }
        let response = try await scim(.post, path, token: token, json: user)
        guard response.status == .created, let id = try response.json["id"]?.stringValue else {
            throw TestFailure("creating \(userName) answered \(response.status): \(response.text)")
        }
        return id
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    var json: JSONValue {
        get throws { try JSONValue.parse(Array(buffer: body)) }
    }

    /// The SCIM error in the body, if it is one.
    var scimError: SCIMError? {
        (try? json).flatMap { SCIMError(body: $0) }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
