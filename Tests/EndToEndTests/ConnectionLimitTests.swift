import Foundation
import Testing
import TestSupport

/// Idle sockets cannot exhaust the server: the open-file limit is raised at start,
/// connections are capped below it, and an authenticated client is served at the cap.
@Suite("End to end: connection limits", .serialized)
struct ConnectionLimitTests {
    /// A hard limit this process may lower the server's to, and a soft one below it.
    static var lowerable: (soft: Int, hard: Int) {
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        let hard = Int(clamping: min(limit.rlim_max, 4096))
        return (min(512, hard / 2), hard)
    }

    @Test func theSoftOpenFileLimitIsRaisedToTheHardLimit() throws {
        let started = Self.lowerable
        let server = try ServerProcess(openFileLimit: started)
        let limit = try server.openFileLimitInForce()
        #expect(limit.soft == started.hard)
        #expect(limit.hard == started.hard)
    }
}
