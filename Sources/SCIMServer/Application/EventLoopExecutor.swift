import NIOCore
import NIOPosix

/// Runs Swift concurrency's jobs on the HTTP server's own event loops.
///
/// Request handlers are async. By default each request's task runs on Swift's global
/// thread pool while its connection lives on a NIO event loop: two thread switches per
/// request, and, worse, no fairness between connections: under 8 concurrent clients on 2
/// cores some requests waited 100 ms while the median took 3 ms (`make bench`, list pages).
/// On the event loops each connection's work is queued in order. Handlers must not block
/// for long: the store's writes run on the writer's own thread, reads are single files.
public enum EventLoopExecutor {
    /// Installs the event loops as the global executor. Call once, when the process starts
    /// serving; returns false where NIO cannot (then the default pool is used).
    @discardableResult
    public static func install() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
