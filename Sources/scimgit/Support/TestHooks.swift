import Foundation
import GitStore

/// Debug builds only: `SCIMGIT_TEST_PAUSE_AT=<step>` (a `WriteStep`: objects, workingTree,
/// halfOfWorkingTree, reference, committed) makes a command stop at that point of its
/// write, print `paused at <step>` on stderr and wait to be killed — so the end-to-end
/// tests can kill a rollback at an exact point instead of guessing with timers.
enum TestHooks {
    static func pauseInjector() -> (@Sendable (WriteStep) throws -> Void)? {
        #if DEBUG
        guard let wanted = ProcessInfo.processInfo.environment["SCIMGIT_TEST_PAUSE_AT"], WriteStep(rawValue: wanted) != nil else {
            return nil
        }
        return { step in
            guard step.rawValue == wanted else { return }
            FileHandle.standardError.write(Data("paused at \(wanted)\n".utf8))
            while true { sleep(60) }
        }
        #else
        return nil
        #endif
    }
}
