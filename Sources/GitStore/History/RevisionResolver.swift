import CLibgit2
import Foundation

/// Turns what an admin types into a commit: anything `git rev-parse` takes (full or short
/// sha, tag, branch, `HEAD~3`), or an ISO-8601 time meaning "the last commit at or before
/// that time" on the branch's first-parent history.
enum RevisionResolver {
    static func resolve(_ revision: String, in repository: Repository) throws -> ObjectID {
        let trimmed = revision.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw GitStoreError.notFound("empty revision") }
        if let commit = try? peelToCommit(trimmed, in: repository) { return commit }
        if let date = TimeParser.parse(trimmed) {
            guard let commit = try lastCommit(atOrBefore: date, in: repository) else {
                throw GitStoreError.notFound("no commit at or before \(trimmed)")
            }
            return commit
        }
        throw GitStoreError.notFound("unknown revision '\(trimmed)'")
    }

    private static func peelToCommit(_ spec: String, in repository: Repository) throws -> ObjectID {
        var object: OpaquePointer?
        try gitCheck(git_revparse_single(&object, repository.pointer, spec), "resolve \(spec)")
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        try gitCheck(git_object_peel(&commit, object, GIT_OBJECT_COMMIT), "peel \(spec) to a commit")
        defer { git_object_free(commit) }
        return ObjectID(git_object_id(commit))
    }

    static func lastCommit(atOrBefore date: Date, in repository: Repository) throws -> ObjectID? {
        guard var current = try repository.headCommit() else { return nil }
        while true {
            let (time, parent) = try repository.withCommit(current) { pointer -> (Date, ObjectID?) in
                let time = Date(timeIntervalSince1970: TimeInterval(git_commit_time(pointer)))
                let parent = git_commit_parentcount(pointer) > 0 ? ObjectID(git_commit_parent_id(pointer, 0)) : nil
                return (time, parent)
            }
            if time <= date { return current }
            guard let parent else { return nil }
            current = parent
        }
    }
}

/// Parses the times admins type: `2026-11-29T10:05:00Z`, with fractional seconds or an
/// offset, `2026-11-29 10:05`, `2026-11-29` (midnight UTC), and `10:05` (today, UTC).
public enum TimeParser {
    public static func parse(_ text: String, now: Date = Date()) -> Date? {
        let value = text.trimmingCharacters(in: .whitespaces)
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        if let date = iso.date(from: value) { return date }
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = iso.date(from: value) { return date }
        let utc = TimeZone(identifier: "UTC")!
        for format in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = utc
            formatter.dateFormat = format
            if let date = formatter.date(from: value) { return date }
        }
        for format in ["HH:mm:ss", "HH:mm"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = utc
            formatter.dateFormat = format
            if let time = formatter.date(from: value) {
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = utc
                let parts = calendar.dateComponents([.hour, .minute, .second], from: time)
                return calendar.date(bySettingHour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0, of: now)
            }
        }
        return nil
    }
}
