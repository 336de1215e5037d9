import Foundation
import GitStore

/// Who runs a history command: the commits `rollback` and `revert` make are authored by
/// the person at the terminal (their login), with `cli:<login>` as the SCIM client.
public struct CLIIdentity: Sendable {
    public var name: String
    /// Where the change was made: `cli`, or `console` for the admin console.
    public var via: String

    public init(name: String? = nil, via: String = "cli") {
        let environment = ProcessInfo.processInfo.environment
        self.name = name ?? environment["SCIMGIT_AUTHOR"] ?? environment["USER"] ?? environment["LOGNAME"] ?? "admin"
        self.via = via
    }

    public var signature: Signature {
        Signature(name: name, email: "\(name)@\(ProcessInfo.processInfo.hostName)")
    }

    public var client: String { "\(via):\(name)" }
}
