import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SCIM
import TestSupport

/// A small HTTP client speaking to the server as an IdP would: Okta's Header Auth sends
/// the token bare, Entra sends `Bearer <token>`.
struct SCIMClient {
    let baseURL: String
    let authorization: String?
    static let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(certificateVerification: .none))

    struct Response {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
        var json: JSONValue? { body.isEmpty ? nil : try? JSONValue.parse(body) }
        func header(_ name: String) -> String? { headers.first(name: name) }
    }

    static func okta(_ server: ServerProcess) -> SCIMClient {
        SCIMClient(baseURL: server.baseURL, authorization: ServerProcess.oktaToken)
    }

    static func entra(_ server: ServerProcess) -> SCIMClient {
        SCIMClient(baseURL: server.baseURL, authorization: "Bearer " + ServerProcess.entraToken)
    }

    func send(_ method: HTTPMethod, _ path: String, json: JSONValue? = nil, body: [UInt8]? = nil, headers extra: [(String, String)] = []) async throws -> Response {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        request.headers.add(name: "User-Agent", value: "Okta SCIM Client 1.0.0")
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        if let bytes = body ?? json?.serialized(.compact) {
            request.headers.add(name: "Content-Type", value: "application/scim+json; charset=utf-8")
            request.body = .bytes(ByteBuffer(bytes: bytes))
        }
        let response = try await SCIMClient.http.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 64 << 20)
        return Response(status: Int(response.status.code), headers: response.headers, body: Array(buffer.readableBytesView))
    }

    func get(_ path: String, headers: [(String, String)] = []) async throws -> Response { try await send(.GET, path, headers: headers) }
    func post(_ path: String, _ json: JSONValue) async throws -> Response { try await send(.POST, path, json: json) }
    func put(_ path: String, _ json: JSONValue, headers: [(String, String)] = []) async throws -> Response { try await send(.PUT, path, json: json, headers: headers) }
    func patch(_ path: String, _ operations: JSONValue, headers: [(String, String)] = []) async throws -> Response {
        try await send(.PATCH, path, json: ["schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": operations], headers: headers)
    }
    func delete(_ path: String, headers: [(String, String)] = []) async throws -> Response { try await send(.DELETE, path, headers: headers) }
}

/// Reads a request body from Fixtures/.
func fixture(_ name: String) throws -> JSONValue {
    let url = TestSupportPaths.fixtures.appendingPathComponent(name)
    return try JSONValue.parse(Array(Data(contentsOf: url)))
}

enum TestSupportPaths {
    static let fixtures = repositoryRoot().appendingPathComponent("Fixtures")
}

/// `filter` query values as Okta encodes them (spaces as `%20`).
func query(_ filter: String) -> String {
    filter.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? filter
}
