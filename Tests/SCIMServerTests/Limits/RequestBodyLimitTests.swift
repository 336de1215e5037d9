import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SCIM
import Synchronization
import Testing
@testable import SCIMServer

/// Bodies: at most `maxBodySize` bytes (413 without reading more), one JSON object of at
/// most 64 levels in UTF-8 (else 400 invalidSyntax).
@Suite struct RequestBodyLimitTests {
    @Test func aDeclaredContentLengthOverTheLimitIs413BeforeTheBodyIsRead() async throws {
        let service = InMemoryResourceService()
        let app = try TestServer.application(service: service)
        try await app.test(.router) { client in
            // No body bytes follow: reading would find an empty body (400); only the
            // Content-Length check can answer 413.
            let response = try await client.scim(.post, "Users", headers: [.contentLength: String(10 * 1024 * 1024 + 1)])
            #expect(response.status == .contentTooLarge)
            #expect(response.scimError?.status == 413)
            #expect(response.headers[.connection] == "close")
            #expect(response.headers[.contentType] == "application/scim+json")
            #expect(service.calls.isEmpty)
        }
    }

    @Test func theReaderDoesNotWaitForABodyItWillRefuse() async throws {
        let reader = RequestBodyReader(maxBodySize: 1024, maxDepth: 64)
        let (body, source) = RequestBody.makeStream()  // never yields: reading would hang
        defer { source.finish() }
        let request = Request(
            head: HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/scim/v2/Users", headerFields: [.contentLength: "4096"]),
            body: body)
        let outcome = try await withTimeout(.seconds(5)) { () -> Int in
            do {
                _ = try await reader.collect(request)
                return 0
            } catch let error as SCIMHTTPError {
                return error.error.status
            }
        }
        #expect(outcome == 413)
    }

    @Test func aStreamedBodyIsCutOffAtTheLimit() async throws {
        let pulled = Mutex(0)
        let chunks = AsyncStream<ByteBuffer> { () -> ByteBuffer? in
            pulled.withLock { $0 += 1 }
            return ByteBuffer(repeating: UInt8(ascii: " "), count: 1024)
        }
        let request = Request(
            head: HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/scim/v2/Users"),
            body: RequestBody(asyncSequence: chunks))
        let reader = RequestBodyReader(maxBodySize: 10 * 1024, maxDepth: 64)
        await #expect { try await reader.collect(request) } throws: { ($0 as? SCIMHTTPError)?.error.status == 413 }
        #expect(pulled.withLock { $0 } <= 11)
    }

    @Test func anActualBodyOverTheLimitIs413() async throws {
        let app = try TestServer.application { $0.maxBodySize = 1024 }
        try await app.test(.router) { client in
            var user = try Fixtures.json("okta/create-user.json")
            user["displayName"] = .string(String(repeating: "x", count: 2000))
            let response = try await client.scim(.post, "Users", json: user)
            #expect(response.status == .contentTooLarge)
            #expect(response.scimError?.status == 413)
            let small = try await client.scim(.post, "Users", json: try Fixtures.json("okta/create-user.json"))
            #expect(small.status == .created)
        }
    }

    @Test func theDefaultLimitIs10MiB() throws {
        #expect(SCIMServerConfiguration().maxBodySize == 10 * 1024 * 1024)
    }

    static let invalidBodies: [(String, [UInt8])] = [
        ("deep", Array(("{\"userName\":\"x\",\"a\":" + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "}").utf8)),
        ("invalid UTF-8", Array("{\"userName\":\"".utf8) + [0xC3, 0x28] + Array("\"}".utf8)),
        ("truncated", Array("{\"userName\":\"ada\"".utf8)),
        ("array", Array("[{\"userName\":\"ada\"}]".utf8)),
        ("string", Array("\"ada\"".utf8)),
        ("empty", []),
        ("not JSON", Array("userName=ada".utf8)),
    ]

    @Test(arguments: invalidBodies)
    func malformedBodiesAre400InvalidSyntax(name: String, body: [UInt8]) async throws {
        let service = InMemoryResourceService()
        let app = try TestServer.application(service: service)
        try await app.test(.router) { client in
            for path in ["Users", "Users/.search"] {
                let response = try await client.scim(.post, path, headers: [.contentType: "application/scim+json"], body: body)
                #expect(response.status == .badRequest, "\(name) \(path)")
                #expect(response.scimError?.scimType == .invalidSyntax, "\(name) \(path): \(response.text)")
            }
            #expect(service.calls.isEmpty)
        }
    }

    @Test func sixtyFourLevelsAreAccepted() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let nested = String(repeating: "[", count: 63) + String(repeating: "]", count: 63)
            let body = Array("{\"userName\":\"deep@example.com\",\"x\":\(nested)}".utf8)
            let response = try await client.scim(.post, "Users", body: body)
            #expect(response.status == .created)
        }
    }
}
