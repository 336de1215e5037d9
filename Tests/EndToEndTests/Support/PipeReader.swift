import Foundation

/// Reads a child's output pipe on a thread of its own, with blocking reads, until the end
/// of the stream. Foundation's `readabilityHandler` on Linux drives a dispatch source that
/// can be torn down while libdispatch still polls the descriptor: the test process then
/// crashed in `_dispatch_event_loop_drain` (seen once in a full run).
final class PipeReader: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)

    /// Starts reading `pipe`; `received` is called with each chunk, on the reader's thread.
    init(_ pipe: Pipe, received: @escaping @Sendable (Data) -> Void) {
        let handle = pipe.fileHandleForReading
        let thread = Thread { [finished] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
                if count > 0 { received(Data(buffer[0..<count])); continue }
                if count < 0 && errno == EINTR { continue }
                break
            }
            finished.signal()
        }
        thread.name = "test-pipe-reader"
        thread.start()
    }

    /// Waits until the stream ended (the child and everything it started closed it).
    func waitForEnd(timeout seconds: Double = 30) {
        _ = finished.wait(timeout: .now() + seconds)
    }
}
