// One-file commits per second through GitStore, on the same layout, file contents and
// commit mix as Benchmarks/store/commit_loop.c (the libgit2 ceiling), so the two can be
// compared in one run.
//
//   StoreBenchmark STORE FILES COMMITS durable|fast
import Foundation
import GitStore

let arguments = CommandLine.arguments
guard arguments.count == 5, let files = Int(arguments[2]), let commits = Int(arguments[3]),
      let durability = Durability(rawValue: arguments[4]) else {
    FileHandle.standardError.write(Data("usage: StoreBenchmark STORE FILES COMMITS durable|fast\n".utf8))
    exit(2)
}

/// The same pseudo-UUID as commit_loop.c's make_id.
func makeID(_ n: UInt64, salt: UInt64) -> String {
    let a = ((n &+ 1) &* 0x9E37_79B9_7F4A_7C15) ^ salt
    let b = a &* 0xBF58_476D_1CE4_E5B9
    func hex(_ value: UInt64, _ width: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    return "\(hex(a >> 32, 8))-\(hex((a >> 16) & 0xffff, 4))-4\(hex(a & 0xfff, 3))-8\(hex((b >> 52) & 0xfff, 3))-\(hex(b & 0xffff_ffff_ffff, 12))"
}

func path(_ id: String) -> String {
    let chars = Array(id)
    return "Users/\(String(chars[0..<2]))/\(String(chars[2..<4]))/\(id).json"
}

func body(_ id: String, _ version: Int) -> [UInt8] {
    let seconds = String(format: "%02d", version % 60)
    return Array("""
    {
      "active": true,
      "emails": [
        {
          "primary": true,
          "type": "work",
          "value": "user.\(id)@example.com"
        }
      ],
      "externalId": "00u\(version)",
      "id": "\(id)",
      "meta": {
        "created": "2026-11-29T00:00:00Z",
        "lastModified": "2026-11-29T00:00:\(seconds)Z",
        "resourceType": "User"
      },
      "name": {
        "familyName": "User",
        "givenName": "Test"
      },
      "schemas": [
        "urn:ietf:params:scim:schemas:core:2.0:User"
      ],
      "userName": "user.\(id)@example.com"
    }

    """.utf8)
}

let author = Signature(name: "bench", email: "bench@localhost")
// An existing store is reused as it is (to profile the commit loop alone).
let reuse = FileManager.default.fileExists(atPath: arguments[1] + "/.git")
let store = reuse
    ? try GitStore.open(at: arguments[1], options: GitStoreOptions(durability: durability, servesWorkingTree: true))
    : try GitStore.create(
        at: arguments[1], initialFiles: ["README.md": Array("benchmark store\n".utf8)], message: "init",
        options: GitStoreOptions(durability: durability, servesWorkingTree: true)
    )
// Seed in chunks of 10,000 files per commit.
var seeded = reuse ? files : 0
while seeded < files {
    var changes: [String: FileChange] = [:]
    for n in seeded..<min(files, seeded + 10_000) {
        let id = makeID(UInt64(n), salt: 0)
        changes[path(id)] = .write(body(id, 0))
    }
    try store.commit(changes: changes, message: "seed", author: author)
    seeded += changes.count
}


store.repack()  // the seed packed, as a live store would be
sync()          // and on disk, as commit_loop.c does
let runSalt = UInt64(Date().timeIntervalSince1970) &* 7919
let start = Date()
for c in 0..<commits {
    // Even commits add a new user (a fresh id every run), odd ones change a seeded one.
    let id = c % 2 == 0 ? makeID(UInt64(c) &+ runSalt, salt: 0xabcdef) : makeID(UInt64(c % 10_000), salt: 0)
    try store.commit(changes: [path(id): .write(body(id, c + 1))], message: "one-file commit", author: author)
}
let elapsed = max(Date().timeIntervalSince(start), 1e-9)
try store.close()
print(String(format: "commits_per_second=%.1f", Double(commits) / elapsed))
