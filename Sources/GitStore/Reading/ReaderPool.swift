import Foundation

/// Read-only `Repository` handles for reads at past revisions, diffs and logs. libgit2
/// handles must not be shared between threads, so each read borrows one for its duration;
/// opening a handle costs ~100 µs, so they are kept for the next read.
final class ReaderPool: @unchecked Sendable {
    private let path: String
    private let lock = NSLock()
    private var idle: [Repository] = []
    private var generation = 0
    private var idleGeneration = 0

    init(path: String) {
        self.path = path
    }

    func with<T>(_ body: (Repository) throws -> T) throws -> T {
        lock.lock()
        let current = generation
        let borrowed = idleGeneration == current ? idle.popLast() : nil
        lock.unlock()
        let repository = try borrowed ?? Repository(path: path)
        defer {
            lock.lock()
            if idleGeneration != generation {
                idle.removeAll()
                idleGeneration = generation
            }
            if current == generation && idle.count < 8 { idle.append(repository) }
            lock.unlock()
        }
        return try body(repository)
    }

    /// Forget every cached handle (after packs were replaced on disk).
    func invalidate() {
        lock.lock()
        generation += 1
        lock.unlock()
    }
}
