/// `bulkId:qwerty`: how an operation names a resource created by an earlier POST of the same
/// request (RFC 7644 §3.7.2), as a whole string value in `data` (a member's `value`) or as
/// the id segment of a `path`.
public enum BulkReference {
    static let prefix = "bulkId:"

    /// The bulkIds referenced anywhere in `value`.
    public static func names(in value: JSONValue) -> Set<String> {
        var found: Set<String> = []
        collect(value, into: &found)
        return found
    }

    /// The bulkIds referenced in the segments of `path`.
    public static func names(in path: String) -> Set<String> {
        Set(path.split(separator: "/").compactMap { name(String($0)) })
    }

    /// `value` with every reference replaced by the id it stands for (`ids` holds every
    /// referenced bulkId: operations run after what they refer to).
    public static func resolving(_ value: JSONValue, _ ids: [String: String]) -> JSONValue {
        switch value {
        case .string(let text): return name(text).flatMap { ids[$0] }.map(JSONValue.string) ?? value
        case .array(let items): return .array(items.map { resolving($0, ids) })
        case .object(let object): return .object(object.mapValues { resolving($0, ids) })
        default: return value
        }
    }

    public static func resolving(_ path: String, _ ids: [String: String]) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { segment in name(String(segment)).flatMap { ids[$0] } ?? String(segment) }
            .joined(separator: "/")
    }

    private static func name(_ text: String) -> String? {
        guard text.count > prefix.count, text.hasPrefix(prefix) else { return nil }
        return String(text.dropFirst(prefix.count))
    }

    private static func collect(_ value: JSONValue, into found: inout Set<String>) {
        switch value {
        case .string(let text): if let name = name(text) { found.insert(name) }
        case .array(let items): for item in items { collect(item, into: &found) }
        case .object(let object): for item in object.values { collect(item, into: &found) }
        default: break
        }
    }
}
