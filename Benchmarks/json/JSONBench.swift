// The driver of Benchmarks/json/run.sh: parses, compacts or writes the user and group
// documents of Fixtures/ ITERATIONS times. Run under callgrind; its figure is instructions
// per iteration.
import Foundation
import SCIM

let arguments = CommandLine.arguments
guard arguments.count == 4, let iterations = Int(arguments[2]), ["parse", "compact", "write"].contains(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: JSONBench parse|compact|write ITERATIONS FIXTURES\n".utf8))
    exit(2)
}
let (mode, fixtures) = (arguments[1], arguments[3])

// As IdPs send them (parse: every write) and as the store keeps them (canonical, with
// `meta`; compact: every GET, and parse: a GET that changes the document). write: the
// stored form of every write, and a response built from values.
let names = [
    "rfc7644/user-enterprise.json", "rfc7644/user-full.json", "rfc7644/group.json",
    "okta/create-user.json", "okta/create-user-extensions.json", "okta/create-group-with-members.json",
    "entra/create-user.json", "entra/create-user-string-booleans.json", "entra/create-group.json",
    "okta/membership-update.json", "entra/patch-user-update.json",
]
var sent: [[UInt8]] = []
var stored: [[UInt8]] = []
var values: [JSONValue] = []
for name in names {
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixtures + "/" + name)))
    sent.append(bytes)
    guard case .object(var document) = try JSONValue.parse(bytes) else { fatalError("\(name) is not an object") }
    var meta = document["meta"]?.objectValue ?? [:]
    meta["resourceType"] = "User"
    meta["created"] = "2024-05-01T12:00:00Z"
    meta["lastModified"] = "2024-05-01T12:00:00Z"
    meta["location"] = nil
    meta["version"] = nil
    document["meta"] = .object(meta)
    document["groups"] = nil
    document["id"] = "2819c223-7f76-453a-919d-413861904646"
    stored.append(JSONValue.object(document).serialized(.canonical))
    values.append(.object(document))
}
let location = Array(#""https://example.com/scim/v2/Users/2819c223-7f76-453a-919d-413861904646""#.utf8)
let version = Array(#""W/\"3694e05e9dff590\"""#.utf8)
let groups = Array(#"[{"value":"e9e30dba-f08f-4109-8486-d5c6a331660a","display":"Admins","$ref":"https://example.com/scim/v2/Groups/e9e30dba"}]"#.utf8)
let resourceType = Array(#""User""#.utf8)

var checksum = 0
for _ in 0..<iterations {
    if mode == "parse" {
        for document in sent + stored {
            if case .object(let members) = try JSONValue.parse(document) { checksum &+= members.count }
        }
    } else if mode == "write" {
        for value in values { checksum &+= value.serialized(.canonical).count &+ value.serialized(.compact).count }
    } else {
        for document in stored {
            guard let body = JSONCompactor.compact(
                document, nestedIn: "meta", nested: [("location", location), ("version", version)], topLevel: [("groups", groups)],
                expectedNested: [("resourceType", resourceType)]) else { fatalError("the compactor refused a stored document") }
            checksum &+= body.count
        }
    }
}
print(mode, iterations, checksum)
