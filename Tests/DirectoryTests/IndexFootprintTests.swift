import Directory
import Foundation
import SCIM
import Testing

/// `scimgit_index_bytes`: the indexes' estimated size follows what they hold.
@Suite("Directory: index footprint")
struct IndexFootprintTests {
    @Test func theEstimateGrowsWithUsersAndMembershipsAndShrinksWithDeletes() async throws {
        let fixture = try DirectoryFixture()
        let empty = fixture.directory.indexBytes
        var ids: [String] = []
        for number in 0..<40 { ids.append(try await fixture.createUser("footprint\(number)@example.com").id) }
        let users = fixture.directory.indexBytes
        // Per user: its summary entry, id, userName, a few filter keys and its place in order.
        let perUser = (users - empty) / 40
        #expect(perUser > 300 && perUser < 3_000, "\(perUser) bytes per user")
        try await fixture.createGroup("Everyone", members: ids)
        let grouped = fixture.directory.indexBytes
        #expect(grouped - users > 40 * 30, "40 memberships both ways")
        for id in ids.prefix(20) { try await fixture.directory.delete(.user, id: id, precondition: nil, context: fixture.okta) }
        #expect(fixture.directory.indexBytes < grouped)
    }
}
