import Foundation
import Testing
@testable import SCIMServer

/// Request ids the server makes up: UUID-shaped, never repeated, and acceptable to itself
/// (they pass the same check as ids a client sends).
@Suite struct RequestIDTests {
    @Test func generatedIdsAreUniqueVersionFourUUIDs() {
        var seen = Set<String>()
        for _ in 0..<20_000 {
            let id = RequestID.generate()
            #expect(UUID(uuidString: id) != nil, "\(id)")
            #expect(id == id.lowercased())
            let characters = Array(id)
            #expect(characters[14] == "4")
            #expect("89ab".contains(characters[19]))
            #expect(RequestID.isSane(id))
            seen.insert(id)
        }
        #expect(seen.count == 20_000)
    }

    @Test func aSaneClientIdIsKeptAndAnInsaneOneReplaced() {
        #expect(RequestID.accepting("okta-123") == "okta-123")
        let replaced = RequestID.accepting("bad id\r\nX-Evil: 1")
        #expect(replaced != "bad id\r\nX-Evil: 1" && UUID(uuidString: replaced) != nil)
    }
}
