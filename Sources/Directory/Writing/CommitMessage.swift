import SCIM

/// The message of a commit a SCIM write makes: a subject that says in words what happened
/// (`Deactivate user ada@example.com`, `Add 2 members to group Engineering`), a body
/// listing the changed attributes (`active: true → false`) and members, and trailers a
/// program can parse (`SCIM-Operation`, `SCIM-Resource`, `SCIM-Client`, `SCIM-Request-Id`).
struct CommitMessage {
    var subject: String
    var body: [String] = []
    var trailers: [(String, String)] = []

    /// Trailer keys, as `scimgit log` and `scimgit revert` read them back.
    static let operationKey = "SCIM-Operation"
    static let resourceKey = "SCIM-Resource"
    static let clientKey = "SCIM-Client"
    static let requestKey = "SCIM-Request-Id"

    init(subject: String, operation: String, resource: String, context: RequestContext) {
        self.subject = CommitMessage.oneLine(subject)
        trailers = [
            (CommitMessage.operationKey, operation),
            (CommitMessage.resourceKey, resource),
            (CommitMessage.clientKey, CommitMessage.oneLine(context.client)),
            (CommitMessage.requestKey, CommitMessage.oneLine(context.requestID)),
        ]
    }

    var text: String {
        var parts = [subject]
        if !body.isEmpty { parts.append(body.joined(separator: "\n")) }
        parts.append(trailers.map { "\($0.0): \($0.1)" }.joined(separator: "\n"))
        return parts.joined(separator: "\n\n") + "\n"
    }

    /// `name.givenName: "Ada" → "Augusta"`, one line per changed attribute.
    mutating func addChanges(_ changes: [AttributeChange]) {
        for change in changes {
            body.append("\(change.path): \(CommitMessage.show(change.before)) → \(CommitMessage.show(change.after))")
        }
    }

    /// Attribute values in a commit body: compact JSON, long ones shortened. (Passwords are
    /// never part of a resource, so never reach a commit.)
    static func show(_ value: JSONValue?) -> String {
        guard let value else { return "(none)" }
        let text = value.serializedString(.compact)
        return text.count > 120 ? String(text.prefix(117)) + "…" : text
    }

    static func oneLine(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 200 ? String(flat.prefix(197)) + "…" : flat
    }

    static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    /// The subject of a change to a user: deactivation, reactivation and renames are named
    /// as such; anything else is an update.
    static func userSubject(name: String, changes: [AttributeChange]) -> String {
        if let rename = changes.first(where: { $0.path == "userName" }),
           case let .string(old)? = rename.before, case let .string(new)? = rename.after {
            return "Rename user \(old) to \(new)"
        }
        if let active = changes.first(where: { $0.path == "active" }) {
            let before = active.before?.boolValue ?? true
            let after = active.after?.boolValue ?? true
            if before && !after { return "Deactivate user \(name)" }
            if !before && after { return "Reactivate user \(name)" }
        }
        return "Update user \(name)"
    }

    /// The subject of a change to a group: a rename, a membership change, or an update.
    static func groupSubject(name: String, changes: [AttributeChange], added: Int, removed: Int) -> String {
        var membership: [String] = []
        if added > 0 { membership.append("add \(plural(added, "member"))") }
        if removed > 0 { membership.append("remove \(plural(removed, "member"))") }
        if let rename = changes.first(where: { $0.path == "displayName" }),
           case let .string(old)? = rename.before, case let .string(new)? = rename.after {
            let base = "Rename group \(old) to \(new)"
            return membership.isEmpty ? base : base + "; " + membership.joined(separator: ", ")
        }
        if !changes.isEmpty {
            return membership.isEmpty ? "Update group \(name)" : "Update group \(name): " + membership.joined(separator: ", ")
        }
        switch (added, removed) {
        case (let a, 0): return "Add \(plural(a, "member")) to group \(name)"
        case (0, let r): return "Remove \(plural(r, "member")) from group \(name)"
        default: return "Add \(plural(added, "member")) to and remove \(plural(removed, "member")) from group \(name)"
        }
    }
}
