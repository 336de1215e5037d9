import Directory
import Testing

@Suite("StoreLayout")
struct StoreLayoutTests {
    let id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    let member = "9c0e1234-5717-4562-b3fc-2c963f66afa6"

    @Test func pathsFanOutOnTheFirstFourHexDigits() {
        #expect(StoreLayout.userPath(id) == "Users/3f/a8/\(id).json")
        #expect(StoreLayout.groupPath(id) == "Groups/3f/a8/\(id)/group.json")
        #expect(StoreLayout.membershipPath(group: id, member: member) == "Groups/3f/a8/\(id)/members/9c/\(member).json")
    }

    @Test func pathsParseBackToIds() {
        #expect(StoreLayout.entry(at: StoreLayout.userPath(id)) == .user(id: id))
        #expect(StoreLayout.entry(at: StoreLayout.groupPath(id)) == .group(id: id))
        #expect(StoreLayout.entry(at: StoreLayout.membershipPath(group: id, member: member)) == .membership(group: id, member: member))
        for path in ["README.md", "Users/3f/a8/x.json", "Users/00/00/\(id).json", "Groups/3f/a8/\(id)/other.json", "Users/3f/a8/\(id).txt"] {
            #expect(StoreLayout.entry(at: path) == nil)
        }
    }

    @Test(arguments: ["", "../../etc/passwd", ".git", "3FA85F64-5717-4562-B3FC-2C963F66AFA6", "3fa85f64-5717-4562-b3fc-2c963f66afa", "010101001010101011001010101011", String(repeating: "a", count: 5000), "3fa85f64/5717-4562-b3fc-2c963f66afa6", "3fa85f64-5717-4562-b3fc-2c963f66afa\0"])
    func onlyLowercaseUUIDsAreIds(candidate: String) {
        #expect(!StoreLayout.isValidID(candidate))
    }
}
