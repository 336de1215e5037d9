import Files

/// The folder the previous file of a sorted run of paths went to, kept open: neighbours
/// in a large batch share their folder (at a million users, fifteen files a folder), so
/// each folder is looked up beneath the root once, not once per file.
struct LastFolder {
    private var path: String?
    private var folder: Folder?

    mutating func folder(_ relative: String, in root: Folder) throws(FileError) -> Folder {
        if let folder, path == relative { return folder }
        let opened = try root.makeSubfolder(relative)
        (path, folder) = (relative, opened)
        return opened
    }
}
