import GitStore

/// A resource's version (`meta.version`, the `ETag` header): the git blob id of its file,
/// as a weak entity tag. Any change to the file changes it; the same bytes always give the
/// same version, also after a restart or a rollback to identical content; and it can be
/// looked up in history (`git log --find-object=<id>`).
///
/// A group's membership lives in other files, so every membership change also rewrites the
/// group's `meta.lastModified` (strictly increasing, see `Clock`): its version changes too.
enum ResourceVersion {
    static func of(_ bytes: [UInt8]) -> String {
        "W/\"" + blobID(bytes) + "\""
    }

    /// The git blob id of these bytes, in hex.
    static func blobID(_ bytes: [UInt8]) -> String {
        ObjectID.blob(hashing: bytes).hex
    }
}
