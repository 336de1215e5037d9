import SCIM

/// The human form of `scimgit diff`: users then groups, `+` added, `-` removed, `~`
/// modified with one line per attribute (`path: before → after`) and memberships as
/// `+ member ada@example.com`. Resources are named by userName / displayName, not by id.
public enum DiffFormatter {
    public static func text(_ diff: StoreDiff) -> String {
        guard !diff.isEmpty else { return "no changes to users or groups\n" }
        var lines: [String] = []
        if !diff.schemas.isEmpty {
            lines.append(StoreSchemas.folder)
            for change in diff.schemas {
                let sign = change.change == .added ? "+" : change.change == .removed ? "-" : "~"
                let extends = change.resourceType.isEmpty ? "" : " (\(DisplayText.escaped(change.resourceType, limit: 40)))"
                lines.append("  \(sign) \(DisplayText.escaped(change.urn, limit: 200))\(extends)")
                if let problem = change.problem { lines.append("      ! \(DisplayText.escaped(problem, limit: 300))") }
                for line in change.lines { lines.append("      \(DisplayText.escaped(line, limit: 300))") }
            }
        }
        for kind in ResourceKind.all {
            let changes = diff.changes.filter { $0.kind == kind }
            guard !changes.isEmpty else { continue }
            lines.append(kind.folder)
            for change in changes {
                let sign = change.change == .added ? "+" : change.change == .removed ? "-" : "~"
                lines.append("  \(sign) \(DisplayText.escaped(change.name, limit: 200))")
                if let problem = change.problem { lines.append("      ! \(DisplayText.escaped(problem, limit: 300))") }
                if change.change == .modified {
                    for attribute in change.attributes {
                        lines.append("      \(DisplayText.escaped(attribute.path, limit: 200)): \(show(attribute.before)) → \(show(attribute.after))")
                    }
                }
                let name = { (member: String) in DisplayText.escaped(diff.memberNames[member] ?? member, limit: 200) }
                for member in change.membersAdded.map(name).sorted() { lines.append("      + member \(member)") }
                for member in change.membersRemoved.map(name).sorted() { lines.append("      - member \(member)") }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One-line summary: `+2 users, -1 user, ~20 users, ~1 group`.
    public static func summary(_ diff: StoreDiff) -> String {
        var parts: [String] = []
        for kind in ResourceKind.all {
            let noun = kind.noun
            for (sign, change) in [("+", ResourceChange.Kind.added), ("-", .removed), ("~", .modified)] {
                let count = diff.changes.filter { $0.kind == kind && $0.change == change }.count
                if count > 0 { parts.append("\(sign)\(count) \(noun)\(count == 1 ? "" : "s")") }
            }
        }
        for (sign, change) in [("+", ResourceChange.Kind.added), ("-", .removed), ("~", .modified)] {
            let count = diff.schemas.filter { $0.change == change }.count
            if count > 0 { parts.append("\(sign)\(count) schema\(count == 1 ? "" : "s")") }
        }
        return parts.isEmpty ? "no changes" : parts.joined(separator: ", ")
    }

    static func show(_ value: JSONValue?) -> String {
        guard let value else { return "(none)" }
        return DisplayText.escaped(value.serializedString(.compact), limit: 100)
    }
}
