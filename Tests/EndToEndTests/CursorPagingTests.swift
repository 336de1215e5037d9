import Foundation
import SCIM
import Testing
import TestSupport

/// Cursor paging (RFC 9865) pinned to a commit: a walk returns exactly the users of the
/// commit it started on, once each, however the store changes meanwhile.
@Suite("End to end: cursor paging")
struct CursorPagingTests {
    private static func seed(_ client: SCIMClient, _ count: Int, prefix: String) async throws -> [String: String] {
        var ids: [String: String] = [:]
        var next = 0
        while next < count {
            let batch = min(1000, count - next)
            let operations: [JSONValue] = (next..<(next + batch)).map { index in
                ["method": "POST", "path": "/Users", "bulkId": .string("u\(index)"),
                 "data": ["userName": .string("\(prefix)\(index)@example.com"), "active": true]]
            }
            let response = try await client.send(.POST, "/Bulk", json: ["schemas": [.string(SCIMSchemaURN.bulkRequest)], "Operations": .array(operations)])
            for result in response.json?["Operations"]?.arrayValue ?? [] {
                guard result["status"] == "201", let location = result["location"]?.stringValue, let bulkId = result["bulkId"]?.stringValue else { continue }
                ids[bulkId] = String(location.split(separator: "/").last!)
            }
            next += batch
        }
        return ids
    }

    @Test func aWalkDuringDeletesCreatesAndRenamesReturnsThePinnedCommitExactly() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let seeded = try await Self.seed(okta, 5000, prefix: "walker")
        #expect(seeded.count == 5000)
        let expected = Set(seeded.values)
        let config = try await okta.get("/ServiceProviderConfig")
        #expect(config.json?["pagination"]?["cursor"] == true)
        #expect(config.json?["pagination"]?["index"] == true)
        #expect(config.json?["pagination"]?["cursorTimeout"] == 3600)

        // Once the first page pinned the walk, another client deletes, creates and renames
        // users all through it.
        let entra = SCIMClient.entra(server)
        let victims = Array(seeded.values.sorted().prefix(400))
        let startChurn = { Task {
            var index = 0
            while !Task.isCancelled, index < victims.count {
                _ = try await entra.delete("/Users/\(victims[index])")
                _ = try await entra.post("/Users", ["userName": .string("newcomer\(index)@example.com")])
                _ = try await entra.patch("/Users/\(victims[index + 1])", [["op": "replace", "path": "userName", "value": .string("renamed\(index)@example.com")]])
                index += 2
            }
        } }
        var churn: Task<Void, any Error>?
        var seen: [String] = []
        var cursor = ""
        var pages = 0
        while true {
            let escaped = cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let page = try await okta.get("/Users?count=250&attributes=id&cursor=\(escaped)")
            #expect(page.status == 200, "\(String(decoding: page.body, as: UTF8.self))")
            let json = try #require(page.json)
            #expect(json["totalResults"] == 5000)
            #expect(json["startIndex"] == nil)
            #expect((json["previousCursor"] == nil) == (pages == 0))
            seen += (json["Resources"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
            pages += 1
            if churn == nil { churn = startChurn() }
            guard let next = json["nextCursor"]?.stringValue else { break }
            cursor = next
            try await Task.sleep(for: .milliseconds(20))
        }
        churn?.cancel()
        _ = await churn?.result
        #expect(pages == 20)
        #expect(seen.count == 5000)
        #expect(Set(seen).count == seen.count, "no resource twice")
        #expect(Set(seen) == expected, "exactly the users of the pinned commit")
        #expect(try await okta.get("/Users/\(victims[0])").status == 404, "the churn really deleted during the walk")

        // A filtered walk through .search returns what matched at its own commit.
        var filtered: [String] = []
        var body: JSONValue = ["schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": "userName sw \"walker4\"", "count": 100, "cursor": ""]
        while true {
            let page = try #require(try await okta.send(.POST, "/Users/.search", json: body).json)
            filtered += (page["Resources"]?.arrayValue ?? []).compactMap { $0["userName"]?.stringValue }
            guard let next = page["nextCursor"] else { break }
            body["cursor"] = next
        }
        // Nothing changes now: index paging sees the same users.
        var indexed: [String] = []
        let filter = "userName sw \"walker4\"".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        for start in [1, 1001] {
            let page = try #require(try await okta.get("/Users?filter=\(filter)&count=1000&startIndex=\(start)").json)
            indexed += (page["Resources"]?.arrayValue ?? []).compactMap { $0["userName"]?.stringValue }
        }
        #expect(filtered.count > 1000 && filtered.count <= 1111)
        #expect(Set(filtered) == Set(indexed))
        #expect(Set(filtered).count == filtered.count)
        #expect(filtered.allSatisfy { $0.hasPrefix("walker4") })
    }

    @Test func forgedForeignAndMismatchedCursorsAreRefused() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        _ = try await Self.seed(okta, 30, prefix: "c")
        let first = try #require(try await okta.get("/Users?count=10&cursor").json)
        let next = try #require(first["nextCursor"]?.stringValue)
        let escaped = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        #expect(try await okta.get("/Users?count=10&cursor=\(escaped)").status == 200)
        var forged = Array(next)
        forged[5] = forged[5] == "A" ? "B" : "A"
        for (query, type) in [
            ("count=10&cursor=\(String(forged))", "invalidCursor"),
            ("count=10&cursor=hello", "invalidCursor"),
            ("count=10&filter=active%20eq%20true&cursor=\(escaped)", "invalidCursor"),
            ("count=20&cursor=\(escaped)", "invalidCount"),
            ("count=10&startIndex=11&cursor=\(escaped)", "invalidValue"),
        ] {
            let response = try await okta.get("/Users?\(query)")
            #expect(response.status == 400, "\(query)")
            #expect(response.json?["scimType"]?.stringValue == type, "\(query)")
        }
        // A walk as of a past point pages that point's users.
        let head = try server.lastCommit("%H")
        _ = try await Self.seed(okta, 5, prefix: "later")
        let past = try #require(try await okta.get("/Users?count=100&cursor&asOf=\(head)").json)
        #expect(past["totalResults"] == 30)
        #expect(past["nextCursor"] == nil)
    }

    @Test func aCursorFromOneTenantIsRefusedByAnother() async throws {
        let folder = TemporaryFolder()
        let root = folder.path + "/tenants"
        var tokens: [String] = []
        for name in ["acme", "globex"] {
            let result = try scimgit(["tenant", "add", name, "--root", root])
            #expect(result.status == 0, "\(result.errors)")
            tokens.append(try #require(result.output.split(separator: "\n").last.map(String.init)))
        }
        let server = try ServerProcess(tenantsRoot: root)
        let acme = SCIMClient(baseURL: server.baseURL(ofTenant: "acme"), authorization: tokens[0])
        let globex = SCIMClient(baseURL: server.baseURL(ofTenant: "globex"), authorization: tokens[1])
        _ = try await Self.seed(acme, 5, prefix: "a")
        _ = try await Self.seed(globex, 5, prefix: "g")
        let next = try #require(try await acme.get("/Users?count=2&cursor").json?["nextCursor"]?.stringValue)
        let escaped = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        #expect(try await acme.get("/Users?count=2&cursor=\(escaped)").status == 200)
        let foreign = try await globex.get("/Users?count=2&cursor=\(escaped)")
        #expect(foreign.status == 400)
        #expect(foreign.json?["scimType"] == "invalidCursor")
    }
}
