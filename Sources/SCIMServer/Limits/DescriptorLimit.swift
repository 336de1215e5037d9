#if canImport(Glibc)
import Glibc
#endif

/// The process's open-file limit (`RLIMIT_NOFILE`), which every connection counts against.
///
/// Most systems start processes with a soft limit of 1,024 and a much higher hard limit;
/// at 1,024 about a thousand idle sockets were enough to leave the server unable to accept
/// anyone (or to open a file of the store). So `scimgit serve` raises the soft limit to the
/// hard one when it starts, and keeps `maxConnections` within what fits below it.
public struct DescriptorLimit: Sendable, Hashable, CustomStringConvertible {
    /// The limit in force (`ulimit -Sn`).
    public var soft: Int
    /// The ceiling an unprivileged process may raise `soft` to (`ulimit -Hn`); `Int.max`
    /// for unlimited.
    public var hard: Int

    /// Descriptors never given to connections: the store's files, libgit2's and git's, the
    /// event loops', the log's, and the sockets of evicted connections not yet released
    /// (at most 64). An idle server uses about 20.
    public static let reserve = 256

    public init(soft: Int, hard: Int) {
        self.soft = soft
        self.hard = hard
    }

    /// How many connections fit below the soft limit, keeping `reserve` (0 if none do).
    public var connectionCapacity: Int { max(0, soft - Self.reserve) }

    public var description: String { "\(soft) (hard limit \(hard == .max ? "unlimited" : String(hard)))" }

    /// The limit now.
    public static func current() throws(DescriptorLimitError) -> DescriptorLimit {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { throw DescriptorLimitError("getrlimit failed (errno \(errno))") }
        return DescriptorLimit(soft: Int(clamping: limit.rlim_cur), hard: limit.rlim_max == unlimited ? .max : Int(clamping: limit.rlim_max))
    }

    /// Raises the soft limit to the hard one and returns the limit in force afterwards.
    /// Where the hard limit is unlimited, the soft one is raised to what the kernel takes
    /// (`OPEN_MAX` on macOS, `fs.nr_open` on Linux, tried from 1,048,576 down).
    @discardableResult
    public static func raiseSoftLimitToHardLimit() throws(DescriptorLimitError) -> DescriptorLimit {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { throw DescriptorLimitError("getrlimit failed (errno \(errno))") }
        var target = limit.rlim_max
        if target == unlimited { target = 1 << 20 }
        while target > limit.rlim_cur {
            var raised = limit
            raised.rlim_cur = target
            if setrlimit(resource, &raised) == 0 { break }
            guard errno == EPERM || errno == EINVAL else { throw DescriptorLimitError("setrlimit failed (errno \(errno))") }
            target /= 2
        }
        return try current()
    }

    #if canImport(Glibc)
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    private static let unlimited = rlim_t.max
    #else
    private static let resource = RLIMIT_NOFILE
    private static let unlimited = RLIM_INFINITY
    #endif
}

/// The open-file limit could not be read or changed.
public struct DescriptorLimitError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
