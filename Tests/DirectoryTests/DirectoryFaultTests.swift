import Directory
import Foundation
import GitStore
import SCIM
import SCIMService
import Testing

/// A write the disk refuses (full, read-only, any I/O error) is a clean 5xx: no commit,
/// nothing half-written, and the directory keeps serving.
@Suite("Directory: storage faults")
struct DirectoryFaultTests {
    final class Fault: @unchecked Sendable {
        private let lock = NSLock()
        private var error: GitStoreError?
        var current: GitStoreError? {
            get { lock.withLock { error } }
            set { lock.withLock { error = newValue } }
        }
    }

    @Test(arguments: [
        (GitStoreError.io(operation: "write", path: "Users/x.json", errno: ENOSPC), 507),
        (GitStoreError.io(operation: "create", path: "Users/x.json", errno: EROFS), 507),
        (GitStoreError.io(operation: "write", path: "Users/x.json", errno: EIO), 500),
        (GitStoreError.io(operation: "create", path: "Users/ab/.scimgit-tmp-x.json", errno: EACCES), 503),
        (GitStoreError.io(operation: "mkdir", path: "Users/ab", errno: EPERM), 503),
        (GitStoreError.busy("index.lock"), 503),
    ])
    func failedWritesAreCleanErrors(fault: GitStoreError, status: Int) async throws {
        let folder = TemporaryFolder()
        let injected = Fault()
        let store = try StoreSetup.create(at: folder.path + "/store", options: GitStoreOptions(
            durability: .fast, faultInjector: { step in if step == .workingTree, let error = injected.current { throw error } }
        ))
        let directory = try DirectoryService(store: store)
        defer { try? directory.close() }
        let context = Caller(client: "okta", requestID: "r", baseURL: "http://x/scim/v2")
        let ada = try await directory.create(.user, document: ["userName": "ada@example.com"], projection: .default, context: context)
        let commits = try git(["rev-list", "--count", "HEAD"], in: store.root)
        injected.current = fault
        await #expect(throws: SCIMError.self) {
            _ = try await directory.create(.user, document: ["userName": "bob@example.com"], projection: .default, context: context)
        }
        do {
            _ = try await directory.patch(.user, id: ada.id, request: try PatchRequest(json: [
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [["op": "replace", "path": "displayName", "value": "X"]],
            ]), precondition: nil, projection: .default, context: context)
            Issue.record("the write should have failed")
        } catch {
            #expect(error.status == status)
            #expect(error.scimType == nil)
        }
        #expect(try git(["rev-list", "--count", "HEAD"], in: store.root) == commits)
        #expect(try await directory.get(.user, id: ada.id, projection: .default, context: context).document["displayName"] == nil)
        #expect(try await directory.search([.user], try SearchRequest(query: [:], for: .user), context: context).totalResults == 1)
        // The fault gone, writes work again.
        injected.current = nil
        _ = try await directory.create(.user, document: ["userName": "bob@example.com"], projection: .default, context: context)
        try store.flushIndex()
        #expect(try git(["status", "--porcelain", "--untracked-files=all"], in: store.root).isEmpty)
        #expect(try git(["fsck", "--strict", "--no-dangling"], in: store.root).isEmpty)
    }
}
