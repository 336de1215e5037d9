import Dispatch
import SCIM

/// Where searches that read every file run: one at a time, off the HTTP event loops.
///
/// Request handlers run on the event loops (fair, cheap), which is right for anything that
/// reads a page or one file. A filter no index serves (`title co "x"`) or a sort reads every
/// resource of the type: a second or more at 100,000 users. Run there, it would stall every
/// connection of that loop; here it waits its turn and the loops keep serving.
enum ScanQueue {
    private static let queue = DispatchQueue(label: "scimgit.scan")

    static func run<T: Sendable>(_ work: @escaping @Sendable () throws(SCIMError) -> T) async throws(SCIMError) -> T {
        let result: Result<T, SCIMError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(SCIMError) {
                    continuation.resume(returning: .success(try work()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
