import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SCIM
import Testing
@testable import SCIMServer

/// `POST /Bulk` as a client sees it: each operation's status, location and version, errors
/// per operation, `failOnErrors`, limits, and bulkId references resolved before use.
@Suite struct BulkRoutesTests {
    private func bulk(_ operations: [JSONValue], failOnErrors: Int? = nil) -> JSONValue {
        var body: [String: JSONValue] = ["schemas": [.string(SCIMSchemaURN.bulkRequest)], "Operations": .array(operations)]
        if let failOnErrors { body["failOnErrors"] = .int(Int64(failOnErrors)) }
        return .object(body)
    }

    @Test func aGroupWithAMemberCreatedInTheSameRequest() async throws {
        let service = InMemoryResourceService()
        let app = try TestServer.application(service: service)
        try await app.test(.router) { client in
            // The group is listed first; the user it names by bulkId is created before it.
            let response = try await client.scim(.post, "Bulk", json: bulk([
                ["method": "POST", "path": "/Groups", "bulkId": "sales", "data": [
                    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Sales", "members": [["value": "bulkId:ada"]]]],
                ["method": "POST", "path": "/Users", "bulkId": "ada", "data": [
                    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "ada@example.com"]],
            ]))
            #expect(response.status == .ok)
            let json = try response.json
            #expect(json["schemas"] == [.string(SCIMSchemaURN.bulkResponse)])
            let results = try #require(json["Operations"]?.arrayValue)
            #expect(results.map { $0["bulkId"] } == ["ada", "sales"])
            #expect(results.map { $0["status"] } == ["201", "201"])
            let userLocation = try #require(results[0]["location"]?.stringValue)
            #expect(userLocation.hasPrefix("http://localhost/scim/v2/Users/"))
            #expect(results[0]["version"]?.stringValue?.hasPrefix("W/\"") == true)
            // One service call per operation, each with the bulk request's id and its place.
            #expect(service.calls.map(\.operation) == ["create", "create"])
            #expect(service.calls.map(\.context.bulkOperation) == ["2 of 2 (bulkId ada)", "1 of 2 (bulkId sales)"])
            #expect(Set(service.calls.map(\.context.requestID)).count == 1)
            let userID = String(userLocation.split(separator: "/").last!)
            let groupID = String(try #require(results[1]["location"]?.stringValue).split(separator: "/").last!)
            let group = try await client.scim(.get, "Groups/\(groupID)")
            #expect(try group.json["members"]?[0]?["value"]?.stringValue == userID)
        }
    }

    @Test func aFailedOperationFailsAloneAndFailOnErrorsStopsTheRest() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let id = try await client.createUser("taken@example.com")
            let operations: [JSONValue] = [
                ["method": "POST", "path": "/Users", "bulkId": "dup", "data": ["schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "taken@example.com"]],
                ["method": "PATCH", "path": .string("/Users/\(id)"), "data": [
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [["op": "replace", "path": "active", "value": false]]]],
                ["method": "DELETE", "path": "/Users/no-such-id"],
                ["method": "DELETE", "path": .string("/Users/\(id)")],
            ]
            let all = try await client.scim(.post, "Bulk", json: bulk(operations))
            let results = try #require(try all.json["Operations"]?.arrayValue)
            #expect(results.map { $0["status"] } == ["409", "200", "404", "204"])
            #expect(results[0]["response"]?["scimType"] == "uniqueness")
            #expect(results[2]["response"]?["status"] == "404")
            #expect(try await client.scim(.get, "Users/\(id)").status == .notFound)

            let other = try await client.createUser("other@example.com")
            let stopped = try await client.scim(.post, "Bulk", json: bulk([
                ["method": "DELETE", "path": "/Users/missing-1"],
                ["method": "DELETE", "path": "/Users/missing-2"],
                ["method": "DELETE", "path": .string("/Users/\(other)")],
            ], failOnErrors: 2))
            #expect(try stopped.json["Operations"]?.arrayValue?.map { $0["status"] } == ["404", "404"])
            #expect(try await client.scim(.get, "Users/\(other)").status == .ok)
        }
    }

    @Test func aReferenceToAFailedPostAndACircleAre409() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let response = try await client.scim(.post, "Bulk", json: bulk([
                ["method": "POST", "path": "/Users", "bulkId": "bad", "data": ["schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"]]],
                ["method": "POST", "path": "/Groups", "bulkId": "g", "data": ["displayName": "G", "members": [["value": "bulkId:bad"]]]],
                ["method": "POST", "path": "/Groups", "bulkId": "a", "data": ["displayName": "A", "members": [["value": "bulkId:b"]]]],
                ["method": "POST", "path": "/Groups", "bulkId": "b", "data": ["displayName": "B", "members": [["value": "bulkId:a"]]]],
            ]))
            let results = try #require(try response.json["Operations"]?.arrayValue)
            #expect(results.map { $0["bulkId"] } == ["bad", "g", "b", "a"])
            #expect(results.map { $0["status"] } == ["400", "409", "409", "409"])
            #expect(results[1]["response"]?["detail"]?.stringValue?.contains("bulkId:bad could not be resolved") == true)
            #expect(results[2]["response"]?["detail"]?.stringValue?.contains("circle") == true)
            #expect(try await client.scim(.get, "Groups").json["totalResults"] == 0)
        }
    }

    @Test func limitsAreEnforcedAndAdvertised() async throws {
        let app = try TestServer.application { $0.bulkMaxOperations = 2; $0.maxBodySize = 4096 }
        try await app.test(.router) { client in
            let config = try await client.scim(.get, "ServiceProviderConfig", token: nil).json
            #expect(config["bulk"] == ["supported": true, "maxOperations": 2, "maxPayloadSize": 4096])
            let delete: JSONValue = ["method": "DELETE", "path": "/Users/1"]
            let tooMany = try await client.scim(.post, "Bulk", json: bulk([delete, delete, delete]))
            #expect(tooMany.status == .contentTooLarge)
            #expect(tooMany.scimError?.status == 413)
            let big: JSONValue = ["method": "POST", "path": "/Users", "bulkId": "x", "data": ["userName": .string(String(repeating: "a", count: 5000))]]
            #expect(try await client.scim(.post, "Bulk", json: bulk([big])).status == .contentTooLarge)
            let badPath = try await client.scim(.post, "Bulk", json: bulk([["method": "DELETE", "path": "/Devices/1"]]))
            #expect(try badPath.json["Operations"]?[0]?["status"] == "400")
            #expect(try await client.scim(.post, "Bulk", json: ["Operations": [delete]]).scimError?.scimType == .invalidSyntax)
            let get = try await client.scim(.get, "Bulk")
            #expect(get.status == .methodNotAllowed)
            #expect(get.headers[.allow] == "POST")
        }
    }
}
