/// Path rules for the working tree: the store only ever touches relative,
/// `/`-separated paths without `.`/`..`/empty components and outside `.git`.
enum StorePaths {
    static func validate(_ path: String) throws {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.hasSuffix("/"), !path.utf8.contains(0) else {
            throw GitStoreError.invalidPath(path)
        }
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty || component == "." || component == ".." || component.lowercased() == ".git" {
                throw GitStoreError.invalidPath(path)
            }
            if component.contains("\\") { throw GitStoreError.invalidPath(path) }
        }
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

    static func join(_ root: String, _ path: String) -> String {
        root.hasSuffix("/") ? root + path : root + "/" + path
    }
}
