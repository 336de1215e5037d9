import CPlatform
import Synchronization

/// Gives freed memory back to the system (`malloc_trim`), at most once every ten seconds
/// for the whole process. A store that settles after a burst of writes frees what it
/// held for them, but glibc keeps freed pages in its heaps: a server of a thousand tenants
/// grew past 500 MB that way. Trimming walks every heap under its lock, so it is rationed.
enum MemoryTrim {
    private static let last = Mutex<ContinuousClock.Instant?>(nil)
    static let interval = Duration.seconds(10)

    static func soon() {
        let now = ContinuousClock.now
        let due = last.withLock { last -> Bool in
            if let previous = last, now - previous < interval { return false }
            last = now
            return true
        }
        if due { _ = scimgit_malloc_trim() }
    }
}
