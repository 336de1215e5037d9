import Foundation
import SCIM

/// Request bodies from `Fixtures/` at the package root (Okta's, Entra's, RFC examples).
enum Fixtures {
    static let directory: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("Fixtures")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("okta").path) { return candidate }
            directory.deleteLastPathComponent()
        }
        fatalError("Fixtures/ not found above \(#filePath)")
    }()

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name))
    }

    static func json(_ name: String) throws -> JSONValue {
        try JSONValue.parse(Array(data(name)))
    }
}
