import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that a reader sees the old content or the new, never half of it, with
/// the permissions set before any byte is written.
enum AtomicFile {
    static func createDirectory(forFile path: String) throws(TokenError) {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw TokenError("cannot create \(directory): \(error)")
        }
    }

    static func replaceContents(of path: String, with bytes: [UInt8], mode: mode_t) throws(TokenError) {
        try createDirectory(forFile: path)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let temporary = directory + "/." + URL(fileURLWithPath: path).lastPathComponent + "." + UUID().uuidString + ".tmp"
        func failure(_ what: String) -> TokenError {
            TokenError("cannot \(what) \(temporary): \(String(cString: strerror(errno)))")
        }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure("create") }
        var closed = false
        defer {
            if !closed { close(descriptor) }
        }
        do throws(TokenError) {
            guard fchmod(descriptor, mode) == 0 else { throw failure("chmod") }
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw failure("write")
                }
                offset += written
            }
            guard fsync(descriptor) == 0 else { throw failure("fsync") }
            closed = true
            guard close(descriptor) == 0 else { throw failure("close") }
            guard rename(temporary, path) == 0 else { throw failure("rename") }
        } catch {
            unlink(temporary)
            throw error
        }
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }
}
