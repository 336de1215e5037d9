import Foundation
import SCIM
import Testing
import TestSupport

/// Hostile and malformed input: every one gets a SCIM error with the right status, makes
/// no commit, and the server keeps answering.
@Suite("End to end: hostile input", .serialized)
struct HostileInputTests {
    @Test func idsThatTryToLeaveTheStoreAre404() async throws {
        let server = try ServerProcess()
        let port = RawConnection.port(of: server.baseURL)
        let commits = try server.commitCount()
        let ids = [
            "..%2F..%2Fetc%2Fpasswd", "../../", "..%2f..%2f.git%2fconfig", "%2e%2e", "%2e%2e%2f%2e%2e%2fREADME.md", ".git", ".git%2Fconfig",
            "%00", "abc%00def", "..%5C..%5Cwindows", "a%5Cb", String(repeating: "a", count: 5000), "010101001010101011001010101011",
            "3FA85F64-5717-4562-B3FC-2C963F66AFA6%00",
        ]
        for id in ids {
            for method in ["GET", "DELETE", "PUT", "PATCH"] {
                let connection = try RawConnection(port: port)
                let body = method == "PUT" || method == "PATCH"
                    ? #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}],"userName":"x"}"# : ""
                connection.send("\(method) /scim/v2/Users/\(id) HTTP/1.1\r\nHost: localhost\r\nAuthorization: \(ServerProcess.oktaToken)\r\nContent-Type: application/scim+json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
                let response = try #require(connection.readResponse(), "\(method) \(id)")
                #expect([404, 400].contains(response.status), "\(method) /Users/\(id) → \(response.status)")
                #expect(response.head.lowercased().contains("content-type: application/scim+json"))
                #expect((try? JSONValue.parse(Array(response.body.utf8)))?["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"])
            }
        }
        // The paths a client builds also stay in the API: a path above the base is a 404 too.
        let connection = try RawConnection(port: port)
        connection.send("GET /scim/v2/../../etc/passwd HTTP/1.1\r\nHost: localhost\r\nAuthorization: \(ServerProcess.oktaToken)\r\nConnection: close\r\n\r\n")
        let response = try #require(connection.readResponse())
        #expect(response.status == 404)
        #expect(!response.body.contains("root:"))
        #expect(try server.commitCount() == commits)
        #expect(try await SCIMClient.okta(server).get("/Users").status == 200)
    }

    @Test func malformedBodies() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let commits = try server.commitCount()
        let cases: [(String, [UInt8], Int, String?)] = [
            ("truncated JSON", Array(#"{"userName": "x""#.utf8), 400, "invalidSyntax"),
            ("not an object", Array("[1, 2, 3]".utf8), 400, "invalidSyntax"),
            ("100,000-deep nesting", Array(String(repeating: "[", count: 100_000).utf8), 400, "invalidSyntax"),
            ("deep object", Array((String(repeating: #"{"a":"#, count: 70) + "1" + String(repeating: "}", count: 70)).utf8), 400, "invalidSyntax"),
            ("invalid UTF-8", [0x7B, 0x22, 0x75, 0x73, 0x65, 0x72, 0x4E, 0x61, 0x6D, 0x65, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D], 400, "invalidSyntax"),
            ("wrong type", Array(#"{"userName": 5}"#.utf8), 400, "invalidValue"),
            ("wrong type in complex", Array(#"{"userName": "x@y.com", "name": "Ada"}"#.utf8), 400, "invalidValue"),
            ("empty userName", Array(#"{"userName": ""}"#.utf8), 400, "invalidValue"),
            ("missing userName", Array(#"{"name": {"givenName": "A"}}"#.utf8), 400, "invalidValue"),
            ("empty body", [], 400, nil),
        ]
        for (name, body, status, scimType) in cases {
            let response = try await okta.send(.POST, "/Users", body: body)
            #expect(response.status == status, "\(name)")
            if let scimType { #expect(response.json?["scimType"]?.stringValue == scimType, "\(name)") }
            #expect(response.json?["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"], "\(name)")
        }
        // A client-chosen id is ignored.
        let created = try await okta.post("/Users", ["id": "../../etc/passwd", "userName": "chosen@example.com"])
        #expect(created.status == 201)
        #expect(created.json?["id"]?.stringValue != "../../etc/passwd")
        #expect(try server.commitCount() == commits + 1)
    }

    @Test func aBrokenChunkedBodyIs400AndChangesNothing() async throws {
        let server = try ServerProcess()
        let port = RawConnection.port(of: server.baseURL)
        let commits = try server.commitCount()
        let head = "POST /scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nAuthorization: \(ServerProcess.oktaToken)\r\nContent-Type: application/scim+json\r\nTransfer-Encoding: chunked\r\n\r\n"
        for body in ["zz\r\n{\"userName\": \"ada@example.com\"}\r\n0\r\n\r\n", "2\r\n{\"userName\": \"ada@example.com\"}\r\n0\r\n\r\n"] {
            let connection = try RawConnection(port: port)
            connection.send(head + body)
            let response = try #require(connection.readResponse())
            #expect(response.status == 400)
            #expect(response.head.lowercased().contains("connection: close"))
            let error = try #require(try? JSONValue.parse(Array(response.body.utf8)))
            #expect(error["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"])
            #expect(error["scimType"] == "invalidSyntax")
        }
        #expect(try server.commitCount() == commits)
        #expect(server.errorLines.isEmpty, "\(server.errorLines)")
        #expect(try await SCIMClient.okta(server).get("/Users").status == 200)
    }

    @Test func aThirtyMegabyteBodyIs413WithoutBeingRead() async throws {
        let server = try ServerProcess()
        let connection = try RawConnection(port: RawConnection.port(of: server.baseURL))
        let started = Date()
        connection.send("POST /scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nAuthorization: \(ServerProcess.oktaToken)\r\nContent-Type: application/scim+json\r\nContent-Length: \(30 * 1024 * 1024)\r\n\r\n{\"userName\": \"")
        // Only the head and a few bytes were sent: the answer must not wait for the rest.
        let response = try #require(connection.readResponse())
        #expect(response.status == 413)
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(try await SCIMClient.okta(server).get("/Users").status == 200)
    }

    @Test func hostileFilters() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let nested = String(repeating: "(", count: 5000) + "userName eq \"x\"" + String(repeating: ")", count: 5000)
        let deep = String(repeating: "(", count: 100) + "userName eq \"x\"" + String(repeating: ")", count: 100)
        let orChain = (0..<2000).map { "userName eq \"u\($0)\"" }.joined(separator: " or ")
        let shortChain = (0..<150).map { "userName eq \"u\($0)\"" }.joined(separator: " or ")
        for filter in ["userName eq \"x\" and (", "userName eq \"x\")", "emails[type eq \"work\"", "userName zz \"x\"", "userName eq", "] or [", nested, deep, orChain, "userName eq \"x\" or"] {
            let started = Date()
            let response = try await okta.get("/Users?filter=\(query(filter))")
            #expect(response.status == 400, "\(filter.prefix(40))")
            #expect(response.json?["scimType"] == "invalidFilter")
            #expect(Date().timeIntervalSince(started) < 2)
        }
        // A long but legal or-chain is answered.
        let response = try await okta.get("/Users?filter=\(query(shortChain))")
        #expect(response.status == 200)
        #expect(response.json?["totalResults"] == 0)
    }

    @Test func badPatchesChangeNothing() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let created = try await okta.post("/Users", ["userName": "patch@example.com", "displayName": "Before"])
        let id = try #require(created.json?["id"]?.stringValue)
        let commits = try server.commitCount()
        let cases: [(String, JSONValue, String)] = [
            ("missing Operations", ["schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]], "invalidSyntax"),
            ("unknown op", ["schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [["op": "move", "path": "displayName", "value": "x"]]], "invalidSyntax"),
            ("bad path", ["schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [["op": "replace", "path": "emails[type eq", "value": "x"]]], "invalidPath"),
            ("remove without path", ["schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [["op": "remove"]]], "noTarget"),
            ("changing id", ["schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [["op": "replace", "path": "id", "value": "3fa85f64-5717-4562-b3fc-2c963f66afa6"]]], "mutability"),
            ("fails half-way", ["schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
                ["op": "replace", "path": "displayName", "value": "After"],
                ["op": "replace", "path": "userName", "value": ""],
            ]], "invalidValue"),
        ]
        for (name, body, scimType) in cases {
            let response = try await okta.send(.PATCH, "/Users/\(id)", json: body)
            #expect(response.status == 400, "\(name)")
            #expect(response.json?["scimType"]?.stringValue == scimType, "\(name): \(response.json.map { $0.serializedString(.compact) } ?? "")")
        }
        #expect(try server.commitCount() == commits)
        #expect(try await okta.get("/Users/\(id)").json?["displayName"] == "Before")
    }

    @Test func idleConnectionsAndHalfRequestsDoNotBlockOthers() async throws {
        let server = try ServerProcess()
        let port = RawConnection.port(of: server.baseURL)
        var idle: [RawConnection] = []
        for _ in 0..<300 { idle.append(try RawConnection(port: port)) }
        let half = try RawConnection(port: port)
        half.send("POST /scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nAuthorization: \(ServerProcess.oktaToken)\r\nContent-Length: 100\r\n\r\n{\"user")
        let slowHead = try RawConnection(port: port)
        slowHead.send("GET /scim/v2/Users HTTP/1.1\r\nHost: loc")
        let started = Date()
        let response = try await SCIMClient.okta(server).get("/Users?startIndex=1&count=2")
        #expect(response.status == 200)
        // Answered long before the 10 s first-request timeout would free anything (a loaded
        // machine running the whole suite has taken just over a second).
        #expect(Date().timeIntervalSince(started) < 5)
        _ = idle.count
    }
}
