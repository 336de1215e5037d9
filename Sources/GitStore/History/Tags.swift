import CLibgit2
import Foundation

/// An annotated tag (what scimgit calls a snapshot).
public struct TagInfo: Sendable, Hashable {
    public var name: String
    public var target: ObjectID
    public var tagger: Signature?
    public var time: Date?
    public var message: String
}

/// Annotated tags, so `git tag`, `git diff NAME HEAD` and every git UI see snapshots.
enum Tags {
    static func create(
        in repository: Repository, name: String, target: ObjectID, message: String, tagger: Signature
    ) throws -> ObjectID {
        var object: OpaquePointer?
        var targetOid = target.oid
        try gitCheck(git_object_lookup(&object, repository.pointer, &targetOid, GIT_OBJECT_COMMIT), "look up \(target.short)")
        defer { git_object_free(object) }
        let signature = try GitSignature(tagger)
        var out = git_oid()
        let text = message.hasSuffix("\n") ? message : message + "\n"
        let code = git_tag_create(&out, repository.pointer, name, object, signature.pointer, text, 0)
        if code == GIT_EEXISTS.rawValue { throw GitStoreError.invalidPath("tag \(name) already exists") }
        if code == GIT_EINVALIDSPEC.rawValue { throw GitStoreError.invalidPath("'\(name)' is not a valid tag name") }
        try gitCheck(code, "create tag \(name)")
        return ObjectID(out)
    }

    static func list(in repository: Repository) throws -> [TagInfo] {
        var names = git_strarray()
        try gitCheck(git_tag_list(&names, repository.pointer), "list tags")
        defer { git_strarray_dispose(&names) }
        var out: [TagInfo] = []
        for position in 0..<names.count {
            let name = String(cString: names.strings[position]!)
            if let info = try info(name, in: repository) { out.append(info) }
        }
        return out
    }

    static func info(_ name: String, in repository: Repository) throws -> TagInfo? {
        var reference: OpaquePointer?
        let code = git_reference_lookup(&reference, repository.pointer, "refs/tags/" + name)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try gitCheck(code, "look up tag \(name)")
        defer { git_reference_free(reference) }
        var commit: OpaquePointer?
        try gitCheck(git_reference_peel(&commit, reference, GIT_OBJECT_COMMIT), "peel tag \(name)")
        defer { git_object_free(commit) }
        let target = ObjectID(git_object_id(commit))
        guard let direct = git_reference_target(reference) else {
            return TagInfo(name: name, target: target, tagger: nil, time: nil, message: "")
        }
        var tag: OpaquePointer?
        guard git_tag_lookup(&tag, repository.pointer, direct) == 0, let tag else {
            // A lightweight tag: no message, no tagger.
            return TagInfo(name: name, target: target, tagger: nil, time: nil, message: "")
        }
        defer { git_tag_free(tag) }
        var tagger: Signature?
        var time: Date?
        if let signature = git_tag_tagger(tag) {
            tagger = Signature(name: String(cString: signature.pointee.name), email: String(cString: signature.pointee.email))
            time = Date(timeIntervalSince1970: TimeInterval(signature.pointee.when.time))
        }
        let message = git_tag_message(tag).map { String(cString: $0) } ?? ""
        return TagInfo(name: name, target: target, tagger: tagger, time: time, message: message)
    }

    static func delete(_ name: String, in repository: Repository) throws {
        let code = git_tag_delete(repository.pointer, name)
        if code == GIT_ENOTFOUND.rawValue { throw GitStoreError.notFound("tag \(name)") }
        try gitCheck(code, "delete tag \(name)")
    }
}
