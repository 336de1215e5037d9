import Foundation
import SCIM
import Testing

/// Replays the inputs the fuzzers once crashed on (Fixtures/fuzz-regressions/<target>/),
/// with the same checks the fuzz targets make (Fuzz/Targets/).
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz-regressions")

    static func inputs(_ target: String) -> [[UInt8]] {
        let folder = root.appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { try? Array(Data(contentsOf: folder.appendingPathComponent($0))) }
    }

    @Test func regressionFoldersExist() {
        for target in ["filter", "patch", "body"] {
            #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(target).path))
        }
    }

    @Test(arguments: inputs("filter"))
    func filterInput(bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        for type in [ResourceType.user, nil] {
            guard let filter = try? FilterParser.parse(text, for: type) else { continue }
            guard filter.description.utf8.count <= FilterParser.maxLength else { continue }
            #expect((try? FilterParser.parse(filter.description, for: type)) == filter)
        }
    }

    @Test(arguments: inputs("patch"))
    func patchInput(bytes: [UInt8]) {
        guard let request = try? PatchRequest(bytes: bytes) else { return }
        let user: JSONValue = ["schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "2819c223-7f76-453a-919d-413861904646", "userName": "bjensen"]
        if let outcome = try? PatchEngine().apply(request, to: user, as: .user) {
            #expect((try? ResourceValidator().canonicalizeStored(outcome.resource, as: .user)) != nil)
        }
    }

    @Test(arguments: inputs("body"))
    func bodyInput(bytes: [UInt8]) {
        guard let value = try? JSONValue.parse(bytes, maxDepth: 64) else { return }
        #expect((try? JSONValue.parse(value.serialized(.compact))) == value)
    }
}
