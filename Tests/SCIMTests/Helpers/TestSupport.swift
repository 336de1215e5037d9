import Foundation
import Testing
@testable import SCIM

/// Reads request/response bodies from `Fixtures/` at the package root (found by walking
/// up from this file, so it works from /work/scim-dev and from the main package).
enum Fixture {
    static let root: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("Fixtures")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        fatalError("Fixtures/ not found above \(#filePath)")
    }()

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(name)))
    }

    static func json(_ name: String) throws -> JSONValue {
        try JSONValue.parse(try bytes(name))
    }

    /// A fixture holding a JSON array of strings (filters, paths).
    static func strings(_ name: String) throws -> [String] {
        try #require(try json(name).arrayValue).compactMap(\.stringValue)
    }
}

/// Parses JSON text written in a test.
func json(_ text: String) throws -> JSONValue {
    try JSONValue.parse(text)
}

/// Runs `body`, expecting a `SCIMError` with this `scimType` and status; returns it.
@discardableResult
func expectSCIMError(
    _ scimType: SCIMType?, status: Int = 400, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) -> SCIMError? {
    do {
        try body()
        Issue.record("expected a \(scimType?.rawValue ?? "plain") \(status) error, but nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as SCIMError {
        #expect(error.scimType == scimType, "detail: \(error.detail)", sourceLocation: sourceLocation)
        #expect(error.status == status, "detail: \(error.detail)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// A deterministic pseudo-random generator (SplitMix64), so property tests are repeatable.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let userType = ResourceType.user
let groupType = ResourceType.group
let enterpriseURN = SCIMSchemaURN.enterpriseUser
