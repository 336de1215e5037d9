/// An `If-Match` header: the write goes ahead only if the resource's current version is one
/// of these (RFC 7644 §3.14); otherwise 412 Precondition Failed.
public enum Precondition: Sendable, Hashable {
    /// `If-Match: *` — any current version.
    case any
    /// `If-Match: W/"a", W/"b"` — entity tags as sent (weak or strong; compared by their opaque part).
    case versions([String])

    /// Whether `version` (an entity tag such as `W/"3f2a…"`) satisfies the precondition.
    public func isSatisfied(by version: String) -> Bool {
        switch self {
        case .any:
            return true
        case let .versions(tags):
            let current = Precondition.opaque(version)
            return tags.contains { Precondition.opaque($0) == current }
        }
    }

    /// `W/"abc"` and `"abc"` → `abc`.
    static func opaque(_ tag: String) -> String {
        var text = Substring(tag.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.hasPrefix("\"") && text.hasSuffix("\"") && text.count >= 2 { text = text.dropFirst().dropLast() }
        return String(text)
    }
}

import Foundation
