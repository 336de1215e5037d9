/// The value of an `If-Match` or `If-None-Match` header (RFC 9110 §13.1): `*` or a
/// comma-separated list of entity tags such as `W/"3f2a"`, `"3f2a"`. An `If-Match` is
/// passed to the service as is: it compares it with the stored version under its write
/// lock and answers 412 when none matches (RFC 7644 §3.14).
///
/// Tags are read properly (a quoted tag may contain a comma); a bare unquoted value, which
/// some clients send, is taken as one tag. Comparison is weak (RFC 9110 §8.8.3.2): `W/"a"`
/// and `"a"` match, since SCIM versions are weak ETags.
public enum EntityTagList: Equatable, Hashable, Sendable {
    /// `*`: any current version.
    case any
    /// The tags as sent (weak or strong; compared by their opaque part).
    case tags([String])

    /// Parses the header values (several header lines count as one list); nil when absent
    /// or empty.
    public init?(headerValues values: [String]) {
        var tags: [String] = []
        var isAny = false
        for value in values {
            var rest = Substring(value)
            while true {
                rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "," }
                guard !rest.isEmpty else { break }
                if rest.hasPrefix("*") {
                    isAny = true
                    rest = rest.dropFirst()
                    continue
                }
                var prefix = ""
                if rest.hasPrefix("W/") || rest.hasPrefix("w/") {
                    prefix = "W/"
                    rest = rest.dropFirst(2)
                }
                if rest.hasPrefix("\"") {
                    let body = rest.dropFirst()
                    if let close = body.firstIndex(of: "\"") {
                        tags.append(prefix + "\"" + body[..<close] + "\"")
                        rest = body[body.index(after: close)...]
                    } else {
                        tags.append(prefix + "\"" + body + "\"")
                        rest = ""
                    }
                } else {
                    let end = rest.firstIndex(of: ",") ?? rest.endIndex
                    let bare = rest[..<end].trimmingCharacters(in: " \t")
                    if !bare.isEmpty { tags.append(prefix + "\"" + bare + "\"") }
                    rest = rest[end...]
                }
            }
        }
        if isAny {
            self = .any
        } else if tags.isEmpty {
            return nil
        } else {
            self = .tags(tags)
        }
    }

    /// Whether `version` (the resource's current ETag, `W/"3f2a…"`) is in the list,
    /// compared weakly.
    public func matches(_ version: String) -> Bool {
        switch self {
        case .any:
            return true
        case .tags(let tags):
            let current = EntityTagList.opaque(version)
            return tags.contains { EntityTagList.opaque($0) == current }
        }
    }

    /// `W/"abc"` and `"abc"` → `abc`.
    static func opaque(_ tag: String) -> Substring {
        var text = Substring(tag)
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = text.dropFirst().dropLast() }
        return text
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in characters: String) -> Substring {
        var text = self
        while let first = text.first, characters.contains(first) { text = text.dropFirst() }
        while let last = text.last, characters.contains(last) { text = text.dropLast() }
        return text
    }
}
