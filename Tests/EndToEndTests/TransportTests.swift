import Foundation
import SCIM
import Testing
import TestSupport

/// HTTPS one flag away (Okta refuses plain-HTTP base URLs), and the optional per-client
/// rate limit that Okta and Entra back off from.
@Suite("End to end: HTTPS and rate limits", .serialized)
struct TransportTests {
    @Test func servesHTTPSWithACertificateMadeAtTestTime() async throws {
        let folder = TemporaryFolder()
        let certificate = folder.path + "/cert.pem", key = folder.path + "/key.pem"
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", certificate]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        #expect(openssl.terminationStatus == 0)
        let server = try ServerProcess(["--tls-cert", certificate, "--tls-key", key])
        #expect(server.baseURL.hasPrefix("https://"))
        let okta = SCIMClient.okta(server) // the client trusts any certificate: it was made just now
        let created = try await okta.post("/Users", ["userName": "tls@example.com"])
        #expect(created.status == 201)
        #expect(created.json?["meta"]?["location"]?.stringValue?.hasPrefix("https://") == true)
        #expect(try await okta.get("/Users?filter=\(query("userName eq \"tls@example.com\""))").json?["totalResults"] == 1)
        // Plain HTTP to the TLS port gets nowhere.
        let plain = SCIMClient(baseURL: server.baseURL.replacingOccurrences(of: "https://", with: "http://"), authorization: ServerProcess.oktaToken)
        await #expect(throws: (any Error).self) { _ = try await plain.get("/Users") }
    }

    @Test func perClientRateLimitAnswers429WithAnIntegerRetryAfter() async throws {
        let server = try ServerProcess(["--rate-limit", "5/s"])
        let okta = SCIMClient.okta(server)
        var statuses: [Int] = []
        var retryAfter: String?
        // Sent at once: one after another on a loaded machine, 30 may take longer than the limit allows.
        let responses = try await withThrowingTaskGroup(of: SCIMClient.Response.self) { group in
            for _ in 0..<30 { group.addTask { try await okta.get("/Users") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for response in responses {
            statuses.append(response.status)
            if response.status == 429 {
                retryAfter = response.header("Retry-After")
                #expect(response.json?["status"] == "429")
            }
        }
        #expect(statuses.contains(429))
        #expect(statuses.filter { $0 == 200 }.count >= 5)
        #expect(retryAfter.flatMap { Int($0) }.map { $0 >= 1 } == true)
        // Limits are per client: Entra is not slowed down by Okta.
        #expect(try await SCIMClient.entra(server).get("/Users").status == 200)
        try await Task.sleep(for: .seconds(Double(retryAfter.flatMap { Int($0) } ?? 1)))
        #expect(try await okta.get("/Users").status == 200)
    }
}
