import CLibgit2
import Crypto

/// The id git gives an object: the SHA-1 of `<type> <size>\0` and the bytes.
///
/// Computed here rather than by `git_odb_hash`, whose collision-detecting SHA-1 cost 5% of
/// the server's CPU under a stream of writes (every blob, tree and commit is hashed); this
/// one runs on the CPU's SHA instructions. It only ever hashes bytes scimgit itself built.
extension ObjectID {
    /// The blob id of `bytes` (what `git hash-object` prints for a file holding them).
    public static func blob(hashing bytes: [UInt8]) -> ObjectID {
        hashing(bytes, type: GIT_OBJECT_BLOB)
    }

    static func hashing(_ bytes: [UInt8], type: git_object_t) -> ObjectID {
        let name: String
        switch type {
        case GIT_OBJECT_BLOB: name = "blob"
        case GIT_OBJECT_TREE: name = "tree"
        case GIT_OBJECT_COMMIT: name = "commit"
        default: name = "tag"
        }
        var hasher = Insecure.SHA1()
        hasher.update(data: Array("\(name) \(bytes.count)\0".utf8))
        hasher.update(data: bytes)
        return ObjectID(bytes: Array(hasher.finalize()))!
    }
}
