@testable import Directory
import Foundation
import GitStore
import SCIM
import SCIMService
import Testing

/// The guard inside the writer: what counts as deprovisioning, that a burst is held at
/// the threshold however its writes are batched, that nothing of a held write lands,
/// and that its state survives restarts and fails safe.
@Suite("Directory: deprovisioning guard")
struct DeprovisioningGuardTests {
    private static let deactivate: JSONValue = [["op": "replace", "value": ["active": false]]]

    private func guarded(_ policy: GuardPolicy, folder: TemporaryFolder) throws -> DirectoryService {
        let store = try StoreSetup.open(at: folder.path + "/store", create: true, options: GitStoreOptions(durability: .fast, servesWorkingTree: true))
        return try DirectoryService(store: store, guardPolicy: policy)
    }

    private func createUsers(_ count: Int, in directory: DirectoryService, prefix: String = "u") async throws -> [String] {
        var ids: [String] = []
        for index in 0..<count {
            let body: JSONValue = ["userName": .string("\(prefix)\(index)@example.com"), "active": true]
            ids.append(try await directory.create(.user, document: body, projection: .default, context: DeprovisioningGuardTests.okta).id)
        }
        return ids
    }

    static let okta = Caller(client: "okta", requestID: "req", baseURL: "https://idp.example.com/scim/v2")

    private func deactivate(_ id: String, _ directory: DirectoryService) async throws {
        let request = try PatchRequest(json: ["schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": DeprovisioningGuardTests.deactivate])
        _ = try await directory.patch(.user, id: id, request: request, precondition: nil, projection: .default, context: DeprovisioningGuardTests.okta)
    }

    private func commits(_ directory: DirectoryService) throws -> Int {
        Int(try git(["rev-list", "--count", "HEAD"], in: directory.store.root).trimmingCharacters(in: .whitespacesAndNewlines))!
    }

    @Test func concurrentDeactivationsCannotSlipPastTheThresholdTogether() async throws {
        let folder = TemporaryFolder()
        let directory = try guarded(GuardPolicy(percent: nil, minimum: 5, window: 3600), folder: folder)
        defer { try? directory.close() }
        let ids = try await createUsers(20, in: directory)
        let before = try commits(directory)
        // Twenty at once: the writer takes them in a few batches, and counts inside each.
        let results = await withTaskGroup(of: SCIMError?.self) { group in
            for id in ids { group.addTask { do { try await self.deactivate(id, directory); return nil } catch { return error as? SCIMError } } }
            var results: [SCIMError?] = []
            for await result in group { results.append(result) }
            return results
        }
        let held = results.compactMap { $0 }
        #expect(results.count - held.count == 4, "the fifth deprovisioning write trips the guard")
        #expect(held.count == 16 && held.allSatisfy { $0.status == 503 && $0.retryAfter == DeprovisioningGuard.retryAfter && $0.detail.contains("scimgit guard release") })
        #expect(try commits(directory) == before + 4, "nothing of a held write is committed")
        let inactive = try await directory.search([.user], try SearchRequest(query: ["filter": "active eq false"], for: .user), context: DeprovisioningGuardTests.okta)
        #expect(inactive.totalResults == 4)
        let trip = try #require(directory.guardState?.trip)
        #expect(trip.client == "okta" && trip.count == 5 && trip.held["okta"] == 16)
    }

    @Test func whileHoldingOtherWritesAndReadsGoOn() async throws {
        let folder = TemporaryFolder()
        let directory = try guarded(GuardPolicy(percent: nil, minimum: 2, window: 3600), folder: folder)
        defer { try? directory.close() }
        let ids = try await createUsers(4, in: directory)
        try await deactivate(ids[0], directory)
        let refusal = await scimError { try await self.deactivate(ids[1], directory) }
        #expect(refusal?.status == 503)
        // A create, an update and a reactivation take nothing away.
        _ = try await createUsers(1, in: directory, prefix: "new")
        let rename = try PatchRequest(json: ["schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [["op": "replace", "path": "displayName", "value": "Ada"]]])
        _ = try await directory.patch(.user, id: ids[2], request: rename, precondition: nil, projection: .default, context: DeprovisioningGuardTests.okta)
        let reactivate = try PatchRequest(json: ["schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [["op": "replace", "value": ["active": true]]]])
        _ = try await directory.patch(.user, id: ids[0], request: reactivate, precondition: nil, projection: .default, context: DeprovisioningGuardTests.okta)
        #expect(try await directory.get(.user, id: ids[1], projection: .default, context: DeprovisioningGuardTests.okta).document["active"] == true)
        // A delete is deprovisioning too, from any client.
        let entra = Caller(client: "entra", requestID: "r", baseURL: "https://x/scim/v2")
        let deletion = await scimError { try await directory.delete(.user, id: ids[3], precondition: nil, context: entra) }
        #expect(deletion?.status == 503)
        #expect(directory.guardState?.trip?.held == ["okta": 1, "entra": 1])
    }

    @Test func memberRemovalsAndGroupDeletionsCountWhatTheyTakeAway() async throws {
        let folder = TemporaryFolder()
        let directory = try guarded(GuardPolicy(percent: nil, minimum: 6, window: 3600), folder: folder)
        defer { try? directory.close() }
        let ids = try await createUsers(6, in: directory)
        let body: JSONValue = ["displayName": "Sales", "members": .array(ids.prefix(3).map { ["value": .string($0)] })]
        let sales = try await directory.create(.group, document: body, projection: .default, context: DeprovisioningGuardTests.okta).id
        let other = try await directory.create(.group, document: ["displayName": "Ops", "members": .array(ids.suffix(3).map { ["value": .string($0)] })], projection: .default, context: DeprovisioningGuardTests.okta).id
        // Two members removed in one PATCH count two.
        let removal = try PatchRequest(json: ["schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
            ["op": "remove", "path": .string("members[value eq \"\(ids[0])\"]")], ["op": "remove", "path": .string("members[value eq \"\(ids[1])\"]")],
        ]])
        _ = try await directory.patch(.group, id: sales, request: removal, precondition: nil, projection: .default, context: DeprovisioningGuardTests.okta)
        #expect(directory.guardState.map { $0.count(within: 3600, now: Date()) } == 2)
        // A user deleted counts one, its memberships with it.
        try await directory.delete(.user, id: ids[2], precondition: nil, context: DeprovisioningGuardTests.okta)
        #expect(directory.guardState.map { $0.count(within: 3600, now: Date()) } == 3)
        // A group of three deleted counts three: 6 reached, held, and the group stays.
        let refusal = await scimError { try await directory.delete(.group, id: other, precondition: nil, context: DeprovisioningGuardTests.okta) }
        #expect(refusal?.status == 503)
        #expect(try await directory.get(.group, id: other, projection: .default, context: DeprovisioningGuardTests.okta).document["members"]?.arrayValue?.count == 3)
    }

    @Test func aPercentageOfActiveUsersTripsOnlyAboveIt() async throws {
        let folder = TemporaryFolder()
        let directory = try guarded(GuardPolicy(percent: 25, minimum: nil, window: 3600), folder: folder)
        defer { try? directory.close() }
        let ids = try await createUsers(8, in: directory)
        // The share is of the users active before the deactivations: 2 of 8 is 25%, not
        // more than it; the third is more.
        try await deactivate(ids[0], directory)
        try await deactivate(ids[1], directory)
        #expect(await scimError { try await self.deactivate(ids[2], directory) }?.status == 503)
    }

    @Test func aRestartKeepsHoldingAndADecisionCommittedMeanwhileIsTakenIn() async throws {
        let folder = TemporaryFolder()
        var directory = try guarded(GuardPolicy(percent: nil, minimum: 1, window: 3600), folder: folder)
        let ids = try await createUsers(3, in: directory)
        #expect(await scimError { try await self.deactivate(ids[0], directory) }?.status == 503)
        try directory.close()
        directory = try guarded(GuardPolicy(percent: nil, minimum: 1, window: 3600), folder: folder)
        #expect(await scimError { try await self.deactivate(ids[0], directory) }?.status == 503, "a restart keeps holding")
        try directory.close()
        // A release committed while no server runs is taken in at the next start.
        let store = try StoreSetup.open(at: folder.path + "/store", options: GitStoreOptions(durability: .fast))
        try GuardDecisions(store: store).commit(
            GuardDecision(action: .release, by: "ada", until: Date().addingTimeInterval(600)), subject: "Release", lines: [], by: CLIIdentity(name: "ada"))
        try store.close()
        directory = try guarded(GuardPolicy(percent: nil, minimum: 1, window: 3600), folder: folder)
        defer { try? directory.close() }
        try await deactivate(ids[0], directory)
        try await deactivate(ids[1], directory)
        #expect(directory.guardState?.lastDecision?.by == "ada" && directory.guardState?.trip == nil)
    }

    @Test func aMissingOrCorruptStateFileHoldsAndSaysWhy() async throws {
        let folder = TemporaryFolder()
        var directory = try guarded(.standard, folder: folder)
        let ids = try await createUsers(2, in: directory)
        let path = GuardState.path(gitDirectory: directory.store.gitDirectory)
        try directory.close()
        try FileManager.default.removeItem(atPath: path)
        directory = try guarded(.standard, folder: folder)
        let missing = await scimError { try await self.deactivate(ids[0], directory) }
        #expect(missing?.status == 503 && missing?.detail.contains("missing") == true, "\(String(describing: missing))")
        try directory.close()
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: path))
        directory = try guarded(.standard, folder: folder)
        defer { try? directory.close() }
        let corrupt = await scimError { try await self.deactivate(ids[0], directory) }
        #expect(corrupt?.status == 503 && corrupt?.detail.contains("cannot be read") == true, "\(String(describing: corrupt))")
        #expect(try await directory.get(.user, id: ids[0], projection: .default, context: DeprovisioningGuardTests.okta).document["active"] == true)
    }

    @Test func aFreshStoreIsNotHeldForHavingNoStateFile() async throws {
        let folder = TemporaryFolder()
        let directory = try guarded(.standard, folder: folder)
        defer { try? directory.close() }
        let ids = try await createUsers(1, in: directory)
        try await deactivate(ids[0], directory)
        #expect(directory.guardState?.trip == nil)
    }
}

/// The count itself, over simulated days: a window slides, a trickle never trips.
@Suite("Directory: guard counting")
struct GuardCountingTests {
    @Test func aNormalDaysTrickleNeverTripsTheDefault() {
        var state = GuardState()
        let policy = GuardPolicy.standard
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        // 20 deactivations an hour for a day, one every three minutes, on 1,000 users.
        for step in 0..<(24 * 20) {
            let now = start.addingTimeInterval(TimeInterval(step * 180))
            #expect(!policy.trips(count: state.count(within: policy.window, now: now) + 1, activeUsers: 1000))
            state.add(1, at: now, window: policy.window)
        }
        #expect(state.minutes.count <= 62, "only the window's minutes are kept")
    }

    @Test func theWindowForgetsWhatIsOlderThanIt() {
        var state = GuardState()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        state.add(30, at: now, window: 3600)
        #expect(state.count(within: 3600, now: now.addingTimeInterval(1800)) == 30)
        #expect(state.count(within: 3600, now: now.addingTimeInterval(3700)) == 0)
        state.countFrom = now.addingTimeInterval(120)
        #expect(state.count(within: 3600, now: now.addingTimeInterval(180)) == 0, "the end of a release forgets what came before it")
    }

    @Test func settingsThatMakeNoSenseAreRefused() throws {
        #expect(try GuardPolicy.parse("10%,25,1h") == .standard)
        #expect(try GuardPolicy.parse("off") == nil)
        #expect(try GuardPolicy.parse("50,30m") == GuardPolicy(percent: nil, minimum: 50, window: 1800))
        #expect(try GuardPolicy.parse("5%") == GuardPolicy(percent: 5, minimum: nil, window: 3600))
        for bad in ["200%", "0", "-5", "0%", "10%,25,0m", "1h", "10%,20%", "lots", "25,-1h", ""] {
            #expect(throws: GuardPolicyError.self, "\(bad)") { _ = try GuardPolicy.parse(bad) }
        }
        #expect(GuardPolicy.standard.trips(count: 25, activeUsers: 200))
        #expect(!GuardPolicy.standard.trips(count: 24, activeUsers: 200))
        #expect(!GuardPolicy.standard.trips(count: 100, activeUsers: 1000), "10% of 1,000 is not more than 10%")
        #expect(GuardPolicy.standard.trips(count: 101, activeUsers: 1000))
    }
}
