import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SCIM
import Testing
@testable import SCIMServer

/// Every response — success, empty, error of the service, of the HTTP layer or of the
/// framework — is `application/scim+json` with `Cache-Control: no-store`, and every error
/// body is a SCIM Error.
@Suite struct SCIMErrorMiddlewareTests {
    @Test func everyKindOfResponseCarriesTheSCIMHeaders() async throws {
        let app = try TestServer.application { $0.maxBodySize = 64 }
        try await app.test(.router) { client in
            let created = try await client.scim(.post, "Users", json: ["userName": "a@x.io"])
            let id = try #require(try created.json["id"]?.stringValue)
            let etag = try await client.scim(.get, "Users/\(id)").headers[.eTag] ?? ""
            let responses: [(String, TestResponse)] = [
                ("201", created),
                ("200", try await client.scim(.get, "Users")),
                ("304", try await client.scim(.get, "Users/\(id)", headers: [.ifNoneMatch: etag])),
                ("400", try await client.scim(.post, "Users", body: Array("{".utf8))),
                ("401", try await client.scim(.get, "Users", token: nil)),
                ("404", try await client.scim(.get, "Nowhere")),
                ("405", try await client.scim(.delete, "Users")),
                ("413", try await client.scim(.post, "Users", body: Array(repeating: UInt8(ascii: " "), count: 65))),
                ("501", try await client.scim(.get, "Me")),
                ("204", try await client.scim(.delete, "Users/\(id)")),
            ]
            for (expected, response) in responses {
                #expect(String(response.status.code) == expected)
                #expect(response.headers[.contentType] == "application/scim+json", "\(expected)")
                #expect(response.headers[.cacheControl] == "no-store", "\(expected)")
                #expect(response.headers[.requestID] != nil, "\(expected)")
                if response.status.code >= 400 {
                    let error = try #require(response.scimError, "\(expected): \(response.text)")
                    #expect(String(error.status) == expected)
                    #expect(try response.json["schemas"] == [.string(SCIMError.schemaURN)])
                }
            }
        }
    }

    @Test func unexpectedErrorsAre500WithAGenericDetailAndTheRealErrorLogged() async throws {
        struct Boom: Error, CustomStringConvertible { var description: String { "disk exploded at /secret/path" } }
        let capture = LogCapture()
        let router = Router(context: SCIMRequestContext.self)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: SCIMErrorMiddleware(routes: RouteTable(routes: [], basePath: ""), logger: capture.logger))
        router.get("/boom") { _, _ -> Response in throw Boom() }
        router.get("/framework") { _, _ -> Response in throw HTTPError(.badRequest, message: "Parameter 'x' can not be converted") }
        router.get("/weird") { _, _ -> Response in throw SCIMError(status: 999, detail: "odd status") }
        let app = Application(router: router)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/boom", method: .get, headers: [.requestID: "req-1"])
            #expect(response.status == .internalServerError)
            #expect(response.headers[.contentType] == "application/scim+json")
            let error = try #require(response.scimError)
            #expect(error.status == 500)
            #expect(!error.detail.contains("exploded"))
            #expect(error.detail.contains("req-1"))
            let logged = try #require(capture.entries.first { $0.level == .error })
            #expect(logged.line.contains("disk exploded"))
            #expect(logged.line.contains("req-1"))

            let framework = try await client.execute(uri: "/framework", method: .get)
            #expect(framework.status == .badRequest)
            #expect(framework.scimError?.detail == "Parameter 'x' can not be converted")

            let weird = try await client.execute(uri: "/weird", method: .get)
            #expect(weird.status == .internalServerError)
            #expect(weird.scimError?.status == 500)
        }
    }
}
