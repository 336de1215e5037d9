import Foundation
import GitStore

/// Who runs a history command: the commits `rollback` and `revert` make are authored by
/// the person at the terminal (their login), with `cli:<login>` as the SCIM client.
public struct CLIIdentity: Sendable {
    public var name: String

    public init(name: String? = nil) {
        let environment = ProcessInfo.processInfo.environment
        self.name = name ?? environment["SCIMGIT_AUTHOR"] ?? environment["USER"] ?? environment["LOGNAME"] ?? "admin"
    }

    public var signature: Signature {
        Signature(name: name, email: "\(name)@\(ProcessInfo.processInfo.hostName)")
    }

    public var client: String { "cli:\(name)" }
}
