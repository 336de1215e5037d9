/// Path rules for the working tree: the store only ever touches relative,
/// `/`-separated paths without `.`/`..`/empty components and outside `.git`.
enum StorePaths {
    /// Byte by byte, without allocating: it runs on every read.
    static func validate(_ path: String) throws {
        let valid = path.utf8.withContiguousStorageIfAvailable(isValid) ?? Array(path.utf8).withUnsafeBufferPointer(isValid)
        guard valid else { throw GitStoreError.invalidPath(path) }
    }

    private static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return false }
        var start = 0
        for position in 0...bytes.count {
            let atEnd = position == bytes.count
            let byte = atEnd ? UInt8(ascii: "/") : bytes[position]
            if byte == 0 || byte == UInt8(ascii: "\\") { return false }
            guard byte == UInt8(ascii: "/") else { continue }
            let length = position - start
            if length == 0 { return false } // empty component, leading or trailing slash
            if length == 1 && bytes[start] == UInt8(ascii: ".") { return false }
            if length == 2 && bytes[start] == UInt8(ascii: ".") && bytes[start + 1] == UInt8(ascii: ".") { return false }
            if length == 4 && bytes[start] == UInt8(ascii: ".")
                && (bytes[start + 1] | 0x20) == UInt8(ascii: "g") && (bytes[start + 2] | 0x20) == UInt8(ascii: "i")
                && (bytes[start + 3] | 0x20) == UInt8(ascii: "t") {
                return false
            }
            start = position + 1
        }
        return true
    }

    /// `a/b/c.json` → `["", "a", "a/b"]`: every folder on the way to a path, root first.
    static func parentFolders(of path: String) -> [String] {
        var folders = [""]
        var current = ""
        let components = path.split(separator: "/")
        for component in components.dropLast() {
            current = current.isEmpty ? String(component) : current + "/" + component
            folders.append(current)
        }
        return folders
    }

    /// `a/b/c.json` → (`a/b`, `c.json`); `c.json` → (``, `c.json`).
    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[..<slash]), String(path[path.index(after: slash)...]))
    }

    static func join(_ root: String, _ path: String) -> String {
        root.hasSuffix("/") ? root + path : root + "/" + path
    }

    /// Where git keeps the packs of the repository at `gitDirectory`: the writer's own, the
    /// ones it merges, the maintenance's, and their `.keep` files.
    static func packFolder(gitDirectory: String) -> String {
        join(gitDirectory, "objects/pack")
    }
}
