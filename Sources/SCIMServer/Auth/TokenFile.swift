#if canImport(Glibc)
import Glibc
#endif

/// A file of API tokens, for `scimgit serve --token-file`: one `NAME=SECRET` or `SECRET`
/// per line (the forms of `ConfiguredTokens`); blank lines and lines starting with `#`
/// are ignored.
///
/// A `--token` on the command line is visible to every user of the machine in `ps`; a file
/// is visible to whoever its mode lets in. So, as ssh does with a private key, a file that
/// group or others may read or write is refused (`chmod 600`), and so is one owned by
/// another user than the server's (or root). Errors name the file and the line, never a
/// secret.
public enum TokenFile {
    /// Larger files are refused: a token file holds a few lines.
    static let maxSize = 1 << 20

    /// Reads and parses the token file at `path`.
    public static func load(_ path: String) throws(TokenError) -> [ConfiguredToken] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw TokenError("cannot open the token file \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        // Checked on the open descriptor, so the file read is the file checked.
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw TokenError("cannot read the token file \(path): \(String(cString: strerror(errno)))")
        }
        guard (status.st_mode & S_IFMT) != S_IFDIR else { throw TokenError("the token file \(path) is a directory") }
        let mode = status.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw TokenError("the token file \(path) is accessible by group or others (mode \(octal(mode))): make it readable by its owner only (chmod 600 \(path))")
        }
        guard status.st_uid == geteuid() || status.st_uid == 0 else {
            throw TokenError("the token file \(path) belongs to another user (uid \(status.st_uid)): it must belong to the user the server runs as, or to root")
        }
        return try parse(try readAll(descriptor, path: path), path: path)
    }

    /// The tokens in `text`; `path` names the file in errors.
    static func parse(_ text: String, path: String) throws(TokenError) -> [ConfiguredToken] {
        var tokens: [ConfiguredToken] = []
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = String(rawLine).trimmingASCIIWhitespace
            if line.isEmpty || line.hasPrefix("#") { continue }
            do {
                tokens.append(try ConfiguredTokens.parse(line))
            } catch {
                throw TokenError("\(path), line \(index + 1): \(error)")
            }
        }
        return tokens
    }

    private static func readAll(_ descriptor: Int32, path: String) throws(TokenError) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw TokenError("cannot read the token file \(path): \(String(cString: strerror(errno)))")
            }
            bytes += buffer[0..<count]
            guard bytes.count <= maxSize else { throw TokenError("the token file \(path) is larger than \(maxSize) bytes") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw TokenError("the token file \(path) is not UTF-8 text")
        }
        return text
    }

    private static func octal(_ mode: mode_t) -> String {
        "0" + String(mode, radix: 8)
    }
}
