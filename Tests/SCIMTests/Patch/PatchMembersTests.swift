import Foundation
import Testing
@testable import SCIM

/// A MemberSet that records how it is used, to check the O(1)-per-member promise.
final class RecordingMemberSet: MemberSet, @unchecked Sendable {
    private let base: InMemoryMemberSet
    private let lock = NSLock()
    private var _allMembersCalls = 0
    private var _containsCalls = 0

    init(ids: [String]) { base = InMemoryMemberSet(ids: ids) }
    init(_ members: [JSONValue]) { base = InMemoryMemberSet(members) }

    var allMembersCalls: Int { lock.withLock { _allMembersCalls } }
    var containsCalls: Int { lock.withLock { _containsCalls } }

    func contains(_ value: String) -> Bool {
        lock.withLock { _containsCalls += 1 }
        return base.contains(value)
    }

    func allMembers() -> [JSONValue] {
        lock.withLock { _allMembersCalls += 1 }
        return base.allMembers()
    }
}

@Suite("PATCH: group members as deltas")
struct PatchMembersTests {
    let engine = PatchEngine()
    let group: JSONValue = ["schemas": [.string(SCIMSchemaURN.group)], "id": "g1", "displayName": "Eng"]

    func apply(_ operations: String, members: RecordingMemberSet) throws -> PatchOutcome {
        try engine.apply(PatchRequest(json: try json(#"{"Operations":\#(operations)}"#)), to: group, as: groupType, members: members)
    }

    @Test func addListsOnlyNewMembersWithoutReadingAll() throws {
        let members = RecordingMemberSet(ids: ["a", "b"])
        let outcome = try apply(#"[{"op":"add","path":"members","value":[{"value":"b"},{"value":"c","display":"C"},{"value":"c"},{"value":"d","$ref":null,"type":"User"}]}]"#, members: members)
        #expect(outcome.membersAdded == [["value": "c", "display": "C"], ["value": "d", "type": "User"]])
        #expect(outcome.membersRemoved.isEmpty)
        #expect(outcome.resource == group, "members are not part of the resource")
        #expect(outcome.changes.isEmpty)
        #expect(members.allMembersCalls == 0)
    }

    @Test func removeByFilterIsADelta() throws {
        let members = RecordingMemberSet(ids: ["a", "b"])
        let outcome = try apply(#"[{"op":"remove","path":"members[value eq \"a\"]"},{"op":"remove","path":"members[value eq \"zz\"]"}]"#, members: members)
        #expect(outcome.membersRemoved == ["a"])
        #expect(outcome.membersAdded.isEmpty)
        #expect(members.allMembersCalls == 0)
        let either = try apply(#"[{"op":"remove","path":"members[value eq \"a\" or value eq \"b\"]"}]"#, members: members)
        #expect(either.membersRemoved == ["a", "b"])
        #expect(members.allMembersCalls == 0)
    }

    @Test func removeWithAValueArrayRemovesOnlyThose() throws {
        let members = RecordingMemberSet(ids: ["a", "b", "c"])
        let outcome = try engine.apply(PatchRequest(bytes: Fixture.bytes("entra/patch-remove-member.json")), to: group, as: groupType, members: members)
        #expect(outcome.membersRemoved.isEmpty, "f648… is not a member")
        let listed = try apply(#"[{"op":"Remove","path":"members","value":[{"value":"a","$ref":null},"c",{"value":"nope"}]}]"#, members: members)
        #expect(listed.membersRemoved == ["a", "c"])
        #expect(members.allMembersCalls == 0)
    }

    @Test func pathlessValueWithMembers() throws {
        let members = RecordingMemberSet(ids: ["a"])
        let outcome = try apply(#"[{"op":"add","value":{"members":[{"value":"x"}],"displayName":"Eng2"}}]"#, members: members)
        #expect(outcome.membersAdded == [["value": "x"]])
        #expect(outcome.resource["displayName"] == "Eng2")
        #expect(outcome.changes.map(\.path) == ["displayName"])
        #expect(members.allMembersCalls == 0)
    }

    @Test func replaceAllFallsBackToAllMembers() throws {
        let members = RecordingMemberSet([["value": "a", "display": "A"], ["value": "b"], ["value": "c"]])
        let outcome = try apply(#"[{"op":"replace","path":"members","value":[{"value":"b"},{"value":"d"}]}]"#, members: members)
        #expect(outcome.membersAdded == [["value": "d"]])
        #expect(outcome.membersRemoved == ["a", "c"])
        #expect(members.allMembersCalls >= 1)
        let pathless = try apply(#"[{"op":"replace","value":{"members":[]}}]"#, members: members)
        #expect(pathless.membersRemoved == ["a", "b", "c"])
    }

    @Test func removeAll() throws {
        let members = RecordingMemberSet(ids: ["a", "b"])
        let outcome = try engine.apply(PatchRequest(bytes: Fixture.bytes("rfc7644/patch-remove-all-members.json")), to: group, as: groupType, members: members)
        #expect(outcome.membersRemoved == ["a", "b"])
        #expect(outcome.membersAdded.isEmpty)
    }

    @Test func otherFiltersMaterialiseTheMembers() throws {
        let members = RecordingMemberSet([["value": "a", "display": "Alice"], ["value": "b", "display": "Bob"]])
        let outcome = try apply(#"[{"op":"remove","path":"members[display sw \"al\"]"}]"#, members: members)
        #expect(outcome.membersRemoved == ["a"])
        #expect(outcome.membersAdded.isEmpty)
        #expect(members.allMembersCalls >= 1)
        let renamed = try apply(#"[{"op":"replace","path":"members[value eq \"b\"].display","value":"Robert"}]"#, members: members)
        #expect(renamed.membersAdded.isEmpty && renamed.membersRemoved.isEmpty, "only membership is tracked, not a member's display")
    }

    @Test func addThenRemoveInOneRequestCancelsOut() throws {
        let members = RecordingMemberSet(ids: ["a"])
        let outcome = try apply(#"[{"op":"add","path":"members","value":[{"value":"n"}]},{"op":"remove","path":"members[value eq \"n\"]"},{"op":"remove","path":"members[value eq \"a\"]"},{"op":"add","path":"members","value":[{"value":"a"}]}]"#, members: members)
        #expect(outcome.isNoOp)
    }

    @Test func oktaMembershipUpdateFixture() throws {
        let members = RecordingMemberSet(ids: ["3fa85f64-5717-4562-b3fc-2c963f66afa6", "7d1f8a2e-1111-4222-8333-444455556666"])
        var okta = group
        okta["id"] = "9c0e1c2d-0000-4000-8000-000000000001"
        let outcome = try engine.apply(PatchRequest(bytes: Fixture.bytes("okta/membership-update.json")), to: okta, as: groupType, members: members)
        #expect(outcome.membersRemoved == ["7d1f8a2e-1111-4222-8333-444455556666"])
        #expect(outcome.membersAdded == [["value": "a0b1c2d3-aaaa-4bbb-8ccc-ddddeeeeffff", "display": "third.user@okta.local"]])
        #expect(outcome.changes.isEmpty, "the rename re-sends the same name")
        #expect(members.allMembersCalls == 0)
    }

    @Test func aMembersKeyInTheResourceIsIgnored() throws {
        var withMembers = group
        withMembers["members"] = [["value": "stale"]]
        let outcome = try engine.apply(PatchRequest(json: try json(#"{"Operations":[{"op":"replace","path":"displayName","value":"X"}]}"#)), to: withMembers, as: groupType, members: InMemoryMemberSet(ids: []))
        #expect(outcome.resource["members"] == nil)
        #expect(outcome.changes.map(\.path) == ["displayName"])
    }

    @Test func invalidMemberValuesAreRefused() throws {
        let members = RecordingMemberSet(ids: [])
        expectSCIMError(.invalidValue) { _ = try apply(#"[{"op":"add","path":"members","value":[{"display":"no id"}]}]"#, members: members) }
        expectSCIMError(.invalidValue) { _ = try apply(#"[{"op":"add","path":"members","value":[{"value":5}]}]"#, members: members) }
        expectSCIMError(.invalidPath) { _ = try apply(#"[{"op":"add","path":"members[nope eq 1]","value":[{"value":"a"}]}]"#, members: members) }
    }

    @Test func largeGroupsCostOnePerListedMember() throws {
        let ids = (0..<50_000).map { "user-\($0)" }
        let members = RecordingMemberSet(ids: ids)
        let outcome = try apply(#"[{"op":"add","path":"members","value":[{"value":"user-1"},{"value":"new-1"}]},{"op":"remove","path":"members[value eq \"user-2\"]"}]"#, members: members)
        #expect(outcome.membersAdded == [["value": "new-1"]])
        #expect(outcome.membersRemoved == ["user-2"])
        // The work is counted, not timed: no read of all 50,000, a few lookups.
        #expect(members.allMembersCalls == 0)
        #expect(members.containsCalls < 20)
    }

    @Test func inMemoryMemberSet() {
        let set = InMemoryMemberSet([["value": "a", "display": "A"], ["display": "no value"]])
        #expect(set.contains("a") && !set.contains("A") && !set.contains("no value"))
        #expect(set.allMembers().count == 2)
    }
}
