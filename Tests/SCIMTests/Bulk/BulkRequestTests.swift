import SCIM
import Testing

/// What makes a whole bulk request unusable is refused before any operation runs.
@Suite struct BulkRequestTests {
    private func request(_ operations: [JSONValue], failOnErrors: JSONValue? = nil, maxOperations: Int = 10) throws(SCIMError) -> BulkRequest {
        var body: [String: JSONValue] = ["schemas": [.string(SCIMSchemaURN.bulkRequest)], "Operations": .array(operations)]
        if let failOnErrors { body["failOnErrors"] = failOnErrors }
        return try BulkRequest(json: .object(body), maxOperations: maxOperations)
    }

    private func refusal(_ body: () throws -> Void) -> SCIMError? {
        do { try body(); return nil } catch { return error as? SCIMError }
    }

    @Test func parsesOperationsInAnyCaseOfMethod() throws {
        let bulk = try request([
            ["method": "post", "path": "/Users", "bulkId": "a", "data": ["userName": "a"]],
            ["method": "Patch", "path": "/Groups/g1", "version": "W/\"1\"", "data": ["Operations": []]],
            ["method": "DELETE", "path": "/Users/bulkId:a"],
        ], failOnErrors: 2)
        #expect(bulk.operations.map(\.method) == [.post, .patch, .delete])
        #expect(bulk.operations[1].version == "W/\"1\"")
        #expect(bulk.operations[2].references == ["a"])
        #expect(bulk.failOnErrors == 2)
    }

    @Test func moreThanMaxOperationsIs413() {
        let operation: JSONValue = ["method": "DELETE", "path": "/Users/1"]
        let error = refusal { _ = try request(Array(repeating: operation, count: 3), maxOperations: 2) }
        #expect(error?.status == 413)
        #expect(error?.detail.contains("at most 2") == true)
    }

    @Test func structuralMistakesRefuseTheWholeRequest() {
        let cases: [([JSONValue], SCIMType)] = [
            ([["path": "/Users", "bulkId": "a", "data": [:]]], .invalidSyntax),  // no method
            ([["method": "GET", "path": "/Users/1"]], .invalidValue),  // not a bulk method
            ([["method": "POST", "path": "/Users", "data": [:]]], .invalidSyntax),  // POST without bulkId
            ([["method": "PUT", "path": "/Users/1"]], .invalidSyntax),  // PUT without data
            ([["method": "DELETE", "path": "Users/1"]], .invalidSyntax),  // path not relative to the base
            ([["method": "POST", "path": "/Users", "bulkId": "a", "data": [:]],
              ["method": "POST", "path": "/Users", "bulkId": "a", "data": [:]]], .invalidValue),  // bulkId twice
            ([["method": "DELETE", "path": "/Users/bulkId:nowhere"]], .invalidValue),  // undefined reference
            ([["method": "POST", "path": "/Groups", "bulkId": "g", "data": ["members": [["value": "bulkId:g"]]]]], .invalidValue),  // itself
        ]
        for (operations, type) in cases {
            let error = refusal { _ = try request(operations) }
            #expect(error?.status == 400, "\(operations)")
            #expect(error?.scimType == type, "\(operations): \(String(describing: error))")
        }
    }

    @Test func notABulkRequestIsInvalidSyntax() {
        #expect(refusal { _ = try BulkRequest(json: ["Operations": [["method": "DELETE", "path": "/Users/1"]]], maxOperations: 10) }?.scimType == .invalidSyntax)
        #expect(refusal { _ = try request([]) }?.scimType == .invalidSyntax)
        #expect(refusal { _ = try request([["method": "DELETE", "path": "/Users/1"]], failOnErrors: 0) }?.scimType == .invalidValue)
    }
}

@Suite struct BulkPlanTests {
    private func post(_ bulkId: String, _ path: String = "/Groups", members: [String] = []) -> BulkOperation {
        BulkOperation(method: .post, bulkId: bulkId, path: path, data: ["displayName": .string(bulkId), "members": .array(members.map { ["value": .string("bulkId:" + $0)] })])
    }

    @Test func anOperationRunsAfterThePostItRefersToWherever() {
        // The group comes first in the request but names a user created after it.
        let plan = BulkPlan([post("group", members: ["user"]), post("user", "/Users"), BulkOperation(method: .delete, path: "/Users/1")])
        #expect(plan.order == [1, 0, 2])
        #expect(plan.refused.isEmpty)
    }

    @Test func aCircleAndWhatWaitsOnItAreRefusedWith409() {
        let plan = BulkPlan([post("a", members: ["b"]), post("b", members: ["a"]), post("c", members: ["a"]), post("d")])
        #expect(Set(plan.order) == [0, 1, 2, 3])
        #expect(plan.refused.keys.sorted() == [0, 1, 2])
        #expect(plan.refused[0]?.status == 409)
        #expect(plan.refused[0]?.detail.contains("bulkId:a → bulkId:b → bulkId:a") == true || plan.refused[0]?.detail.contains("bulkId:b → bulkId:a → bulkId:b") == true)
        #expect(plan.refused[2]?.detail.contains("waits on bulkId:a") == true)
        #expect(plan.refused[3] == nil)
    }

    @Test func referencesAreReplacedByTheIdsInDataAndPath() {
        let ids = ["u": "2819c223"]
        #expect(BulkReference.resolving(["members": [["value": "bulkId:u"], ["value": "bulkId:"], ["value": "x bulkId:u"]]], ids)
            == ["members": [["value": "2819c223"], ["value": "bulkId:"], ["value": "x bulkId:u"]]])
        #expect(BulkReference.resolving("/Users/bulkId:u", ids) == "/Users/2819c223")
    }

    @Test func theResponseListsEachResultWithItsError() {
        let response = BulkResponse(results: [
            .init(method: .post, bulkId: "a", version: "W/\"1\"", location: "https://x/Users/1", status: 201),
            .init(method: .delete, bulkId: nil, status: 404, error: .notFound("no user 9")),
        ])
        let json = response.json
        #expect(json["schemas"] == [.string(SCIMSchemaURN.bulkResponse)])
        #expect(json["Operations"]?[0] == ["method": "POST", "bulkId": "a", "version": "W/\"1\"", "location": "https://x/Users/1", "status": "201"])
        #expect(json["Operations"]?[1]?["status"] == "404")
        #expect(json["Operations"]?[1]?["response"]?["detail"] == "no user 9")
    }
}
