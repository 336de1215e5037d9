import Directory
import Foundation
import GitStore
import SCIM
import SCIMService
import Testing
@_exported import TestSupport

/// A directory over a fresh store in a temp folder, and helpers to call it as the server
/// would.
final class DirectoryFixture: @unchecked Sendable {
    let folder = TemporaryFolder()
    var directory: DirectoryService
    var root: String { directory.store.root }
    let okta = Caller(client: "okta", requestID: "req-1", baseURL: "https://idp.example.com/scim/v2")

    init(durability: Durability = .fast) throws {
        let store = try StoreSetup.create(at: folder.path + "/store", options: GitStoreOptions(durability: durability, servesWorkingTree: true))
        directory = try DirectoryService(store: store)
    }

    deinit { try? directory.close() }

    /// Closes and reopens the store (a restart).
    func restart() throws {
        try directory.close()
        directory = try DirectoryService(store: try StoreSetup.open(at: folder.path + "/store", options: DirectoryFixture.serving))
    }

    /// The options `scimgit serve` opens its store with: this process owns the working tree.
    static let serving = GitStoreOptions(servesWorkingTree: true)

    func commitCount() throws -> Int {
        Int(try git(["rev-list", "--count", "HEAD"], in: root).trimmingCharacters(in: .whitespacesAndNewlines))!
    }

    func lastSubject() throws -> String {
        try git(["log", "-1", "--format=%s"], in: root).trimmingCharacters(in: .newlines)
    }

    func lastMessage() throws -> String {
        try git(["log", "-1", "--format=%B"], in: root)
    }

    @discardableResult
    func createUser(_ userName: String, extra: [String: JSONValue] = [:], context: Caller? = nil) async throws -> ResourceRecord {
        var body: [String: JSONValue] = [
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": .string(userName),
            "name": ["givenName": "Test", "familyName": "User"],
            "emails": [["primary": true, "value": .string(userName), "type": "work"]],
            "active": true,
        ]
        for (key, value) in extra { body[key] = value }
        return try await directory.create(.user, document: .object(body), projection: .default, context: context ?? okta)
    }

    @discardableResult
    func createGroup(_ name: String, members: [String] = []) async throws -> ResourceRecord {
        let body: JSONValue = [
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": .string(name),
            "members": .array(members.map { ["value": .string($0)] }),
        ]
        return try await directory.create(.group, document: body, projection: .default, context: okta)
    }

    func patch(_ type: ResourceType, _ id: String, _ operations: JSONValue, precondition: EntityTagList? = nil) async throws -> ResourceRecord {
        let request = try PatchRequest(json: [
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": operations,
        ])
        return try await directory.patch(type, id: id, request: request, precondition: precondition, projection: .default, context: okta)
    }

    func get(_ type: ResourceType, _ id: String) async throws -> ResourceRecord {
        try await directory.get(type, id: id, projection: .default, context: okta)
    }

    func search(_ type: ResourceType, _ query: [String: String]) async throws -> SearchResult {
        try await directory.search([type], try SearchRequest(query: query, for: type), context: okta)
    }
}

extension DirectoryService {
    /// A read without `If-None-Match`: always the resource.
    func get(_ type: ResourceType, id: String, projection: Projection, context: Caller) async throws -> ResourceRecord {
        guard case let .resource(record) = try await get(type, id: id, projection: projection, ifNoneMatch: nil, context: context) else {
            throw SCIMError.internalError("a read without If-None-Match answered not modified")
        }
        return record
    }
}

/// Runs `body` expecting a SCIMError; returns it.
func scimError(_ body: () async throws -> Void) async -> SCIMError? {
    do {
        try await body()
        return nil
    } catch let error as SCIMError {
        return error
    } catch {
        Issue.record("expected a SCIMError, got \(error)")
        return nil
    }
}
