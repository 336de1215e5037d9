import ArgumentParser
import Foundation
import GitStore

/// `serve`'s options for running it in production: metrics, logs, mirrors, replicas.
struct OperationsOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Serve /metrics on this address instead of the main listener, e.g. 127.0.0.1:9464.", valueName: "HOST:PORT"))
    var metricsListen: String?

    @Option(help: "Log format: text (for people) or json (one object per line, for log shippers).")
    var logFormat: LogFormat = .text

    @Option(help: ArgumentHelp(
        "Push the branch and snapshot tags to this git remote after each batch of writes, in the background (repeatable): file:///srv/store.git, /srv/store.git, git://host/store, https://host/org/store.git (token in SCIMGIT_MIRROR_TOKEN), ssh://git@host/store.git (SCIMGIT_MIRROR_SSH_KEY, SCIMGIT_MIRROR_SSH_HOST_KEY). Never forced.",
        valueName: "URL"))
    var mirror: [String] = []

    @Option(help: ArgumentHelp(
        "Serve as a read-only replica of this remote (a mirror, or the primary's store): an empty --repo is cloned from it, then it is fetched every --follow-interval; writes get 503. `scimgit promote` makes it a primary.",
        valueName: "URL"))
    var replicaOf: String?

    @Option(help: "With --replica-of: seconds between fetches.")
    var followInterval: Double = 2

    @Option(help: "With --replica-of: /readyz says not ready when the last successful fetch is older than this many seconds.")
    var maxReplicaLag: Double = 30

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        if let metricsListen, MetricsListenAddress.parse(metricsListen) == nil {
            throw ValidationError("--metrics-listen \(metricsListen): give HOST:PORT, e.g. 127.0.0.1:9464")
        }
        let access = RemoteAccess.fromEnvironment()
        for url in mirror + (replicaOf.map { [$0] } ?? []) {
            if let problem = RemoteAccess.problem(with: url, access: access) {
                throw ValidationError("\(RemoteAccess.redacted(url)): \(problem)")
            }
        }
        guard followInterval >= 0.1 else { throw ValidationError("--follow-interval must be at least 0.1 seconds") }
        guard maxReplicaLag > followInterval else { throw ValidationError("--max-replica-lag must be longer than --follow-interval") }
    }
}

enum MetricsListenAddress {
    static func parse(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }
}
