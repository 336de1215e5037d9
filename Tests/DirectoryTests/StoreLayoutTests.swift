import Directory
import SCIM
import SCIMService
import Testing

@Suite("StoreLayout")
struct StoreLayoutTests {
    let id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    let member = "9c0e1234-5717-4562-b3fc-2c963f66afa6"

    @Test func pathsFanOutOnTheFirstFourHexDigits() {
        #expect(ResourceKind.user.path(of: id) == "Users/3f/a8/\(id).json")
        #expect(ResourceKind.group.path(of: id) == "Groups/3f/a8/\(id)/group.json")
        #expect(StoreLayout.membershipPath(group: id, member: member) == "Groups/3f/a8/\(id)/members/9c/\(member).json")
    }

    @Test func pathsParseBackToIds() {
        #expect(StoreLayout.entry(at: ResourceKind.user.path(of: id)) == .resource(.user, id: id))
        #expect(StoreLayout.entry(at: ResourceKind.group.path(of: id)) == .resource(.group, id: id))
        #expect(StoreLayout.entry(at: StoreLayout.membershipPath(group: id, member: member)) == .membership(group: id, member: member))
        for path in ["README.md", "Users/3f/a8/x.json", "Users/00/00/\(id).json", "Groups/3f/a8/\(id)/other.json", "Users/3f/a8/\(id).txt"] {
            #expect(StoreLayout.entry(at: path) == nil)
        }
    }

    /// Every per-kind fact comes from the kind: the API's types map to it and back.
    @Test func eachResourceTypeHasOneKind() {
        #expect(ResourceKind.of(.user) == .user && ResourceKind.of(.group) == .group)
        #expect(ResourceKind.named("group") == .group)
        #expect(ResourceKind.of(ResourceType(id: "Device", name: "Device", endpoint: "/Devices", schema: .user)) == nil, "an unknown type is no kind, not a user")
        for kind in ResourceKind.all {
            #expect(StoreLayout.entry(at: kind.path(of: id)) == .resource(kind, id: id))
            #expect(kind.path(of: id).hasPrefix(kind.folder + "/"))
        }
    }

    @Test(arguments: ["", "../../etc/passwd", ".git", "3FA85F64-5717-4562-B3FC-2C963F66AFA6", "3fa85f64-5717-4562-b3fc-2c963f66afa", "010101001010101011001010101011", String(repeating: "a", count: 5000), "3fa85f64/5717-4562-b3fc-2c963f66afa6", "3fa85f64-5717-4562-b3fc-2c963f66afa\0"])
    func onlyLowercaseUUIDsAreIds(candidate: String) {
        #expect(!StoreLayout.isValidID(candidate))
    }
}
