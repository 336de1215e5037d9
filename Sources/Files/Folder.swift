import CPlatform
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// An open folder whose contents are reached without ever following a symbolic link.
///
/// A store's working tree holds whatever its history holds, and history can arrive from
/// elsewhere (`git pull`, a restored backup, a hand commit): a committed link must never
/// make the server read or write outside the store. So every path below a `Folder` is
/// opened with `openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)` (`scimgit_open_beneath`), a
/// link anywhere on the way fails with `ELOOP`, and renames, links and removals are made
/// relative to the folder's descriptor, never by an absolute path a link could redirect.
public final class Folder: @unchecked Sendable {
    public let path: String
    public let descriptor: Int32

    /// Opens the folder at `path` (links in `path` itself are followed: it is the one the
    /// operator named), creating it (and missing parents) when asked.
    public init(opening path: String, create: Bool = false, mode: mode_t = 0o755) throws(FileError) {
        if create {
            var prefix = path.hasPrefix("/") ? "" : "."
            for component in path.split(separator: "/") {
                prefix += "/" + component
                if mkdir(prefix, mode) != 0 && errno != EEXIST { throw FileError("mkdir", prefix) }
            }
        }
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError("open", path) }
        self.path = path
        self.descriptor = fd
    }

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    public func absolute(_ relative: String) -> String {
        path.hasSuffix("/") ? path + relative : path + "/" + relative
    }

    // MARK: - Opening

    /// `openat` beneath this folder, never following a link (see the type's comment).
    public func open(_ relative: String, _ flags: Int32, mode: mode_t = 0o644) throws(FileError) -> FileDescriptor {
        let fd = scimgit_open_beneath(descriptor, relative, flags, UInt32(mode))
        guard fd >= 0 else { throw FileError("open", absolute(relative)) }
        return FileDescriptor(rawValue: fd)
    }

    /// The subfolder at `relative`, nil when it does not exist. A link on the way throws.
    public func subfolder(_ relative: String) throws(FileError) -> Folder? {
        if relative.isEmpty { return self }
        let fd = scimgit_open_beneath(descriptor, relative, scimgit_o_path | O_DIRECTORY, 0)
        if fd >= 0 { return Folder(path: absolute(relative), descriptor: fd) }
        let error = FileError("open", absolute(relative))
        if error.code == ENOENT { return nil }
        throw error
    }

    /// The subfolder at `relative`, creating what is missing on the way; each folder is
    /// created with `mkdirat` in its parent's descriptor and opened without following
    /// links, so a link put where a folder should be is refused, not entered.
    public func makeSubfolder(_ relative: String, mode: mode_t = 0o755) throws(FileError) -> Folder {
        if let existing = try subfolder(relative) { return existing }
        var current: Folder = self
        for component in relative.split(separator: "/") {
            let name = String(component)
            if mkdirat(current.descriptor, name, mode) != 0 && errno != EEXIST {
                throw FileError("mkdir", current.absolute(name))
            }
            guard let next = try current.subfolder(name) else { throw FileError("open", current.absolute(name), code: ENOENT) }
            current = next
        }
        return current
    }

    // MARK: - Entries of this folder

    /// The status of the entry `name` right in this folder, as `lstat` gives it (a link is
    /// reported as a link). Nil when there is none.
    public func status(_ name: String) -> stat? {
        var info = stat()
        return fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 ? info : nil
    }

    /// Removes the file (or link) `name`; a missing one is not an error.
    public func remove(_ name: String) throws(FileError) {
        if unlinkat(descriptor, name, 0) != 0 && errno != ENOENT { throw FileError("unlink", absolute(name)) }
    }

    /// Removes the empty subfolder `name`; false when it is not empty, not a folder, or gone.
    @discardableResult
    public func removeFolder(_ name: String) -> Bool {
        unlinkat(descriptor, name, AT_REMOVEDIR) == 0
    }

    /// Renames `name` to `newName` in `folder` (the same file system), replacing what is
    /// there — a link there is replaced itself, never followed.
    public func rename(_ name: String, to folder: Folder, as newName: String) throws(FileError) {
        guard renameat(descriptor, name, folder.descriptor, newName) == 0 else { throw FileError("rename", folder.absolute(newName)) }
    }

    /// Gives the file `name` a second name in `folder` (a hard link to the file itself:
    /// `linkat` without `AT_SYMLINK_FOLLOW` never links what a symbolic link points at).
    public func link(_ name: String, to folder: Folder, as newName: String) throws(FileError) {
        guard linkat(descriptor, name, folder.descriptor, newName, 0) == 0 else { throw FileError("link", folder.absolute(newName)) }
    }

    /// The names in this folder (without `.` and `..`).
    public func names() throws(FileError) -> [String] {
        let copy = openat(descriptor, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard copy >= 0 else { throw FileError("open", path) }
        guard let stream = fdopendir(copy) else {
            let error = FileError("open", path)
            close(copy)
            throw error
        }
        defer { closedir(stream) }
        var out: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { out.append(name) }
        }
        return out
    }

    // MARK: - Whole files

    /// Writes `bytes` as the file `name` in this folder through a temporary file renamed
    /// into place: a reader sees the old file or the new, never part of one. `durable`
    /// flushes the file (and the folder, for the rename) before returning. The temporary
    /// file's name starts with `temporaryPrefix` (git's own cleanup knows `tmp_` in
    /// `objects/pack`).
    public func replaceFile(
        _ name: String, with bytes: [UInt8], mode: mode_t = 0o644, durable: Bool = false, temporaryPrefix: String = "."
    ) throws(FileError) {
        let temporary = "\(temporaryPrefix)\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = scimgit_open_beneath(descriptor, temporary, O_WRONLY | O_CREAT | O_EXCL, UInt32(mode))
        guard fd >= 0 else { throw FileError("create", absolute(temporary)) }
        do throws(FileError) {
            try Folder.write(bytes, to: FileDescriptor(rawValue: fd), path: absolute(temporary), mode: mode, durable: durable)
            try rename(temporary, to: self, as: name)
        } catch {
            unlinkat(descriptor, temporary, 0)
            throw error
        }
        if durable { fsync(descriptor) }
    }

    /// Writes all of `bytes` to `fd` from offset 0, cuts what followed, sets the mode and
    /// closes it (also on failure).
    public static func write(_ bytes: [UInt8], to fd: FileDescriptor, path: String, mode: mode_t?, durable: Bool = false) throws(FileError) {
        do {
            _ = try fd.closeAfter {
                _ = try bytes.withUnsafeBytes { try fd.writeAll(toAbsoluteOffset: 0, $0) }
                if ftruncate(fd.rawValue, off_t(bytes.count)) != 0 { throw Errno(rawValue: errno) }
                if let mode, fchmod(fd.rawValue, mode) != 0 { throw Errno(rawValue: errno) }
                if durable, fsync(fd.rawValue) != 0 { throw Errno(rawValue: errno) }
            }
        } catch let error as Errno {
            throw FileError("write", path, code: error.rawValue)
        } catch {
            throw FileError("write", path, code: EIO)
        }
    }

    /// Creates the file `name`, which must not exist yet, holding `bytes`, and only then
    /// gives it `mode`: until it is whole it has none (mode 000), which readers take for a
    /// file being refilled and wait for (as for a spare inode). No temporary name and no
    /// rename, the cost of a large batch of new files. Returns the file's status, or nil
    /// when something is already at `name` (the caller replaces it atomically instead).
    public func createFile(_ name: String, _ bytes: [UInt8], mode: mode_t) throws(FileError) -> stat? {
        let fd = scimgit_open_beneath(descriptor, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0)
        if fd < 0 {
            if errno == EEXIST { return nil }
            throw FileError("open", absolute(name))
        }
        let file = FileDescriptor(rawValue: fd)
        var info = stat()
        do {
            _ = try file.closeAfter {
                _ = try bytes.withUnsafeBytes { try file.writeAll(toAbsoluteOffset: 0, $0) }
                if fchmod(fd, mode) != 0 || fstat(fd, &info) != 0 { throw Errno(rawValue: errno) }
            }
        } catch {
            let code = (error as? Errno)?.rawValue ?? EIO
            unlinkat(descriptor, name, 0)
            throw FileError("write", absolute(name), code: code)
        }
        return info
    }

    /// Reads the whole file `relative` (nil when it does not exist), never following links.
    public func readFile(_ relative: String) throws(FileError) -> [UInt8]? {
        let fd = scimgit_open_beneath(descriptor, relative, O_RDONLY | O_NONBLOCK, 0)
        if fd < 0 {
            let error = FileError("open", absolute(relative))
            if error.isMissing { return nil }
            throw error
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileError("stat", absolute(relative)) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw FileError("read", absolute(relative), code: EINVAL) }
        // One byte more than the file holds, so that reading it whole ends with a read of
        // nothing, not with doubling the buffer (a 274 MB index snapshot cost 274 MB more,
        // zeroed and copied); a file that grew meanwhile still grows the buffer.
        var out = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var filled = 0
        while true {
            if filled == out.count { out.append(contentsOf: repeatElement(0, count: max(out.count, 4096))) }
            let count = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError("read", absolute(relative))
            }
            if count == 0 { break }
            filled += count
        }
        out.removeSubrange(filled...)
        return out
    }
}
