import SCIM
import SCIMService

/// The message of a commit a SCIM write makes: a subject that says in words what happened
/// (`Deactivate user ada@example.com`, `Add 2 members to group Engineering`), a body
/// listing the changed attributes (`active: true → false`) and members, and trailers a
/// program can parse (`SCIM-Operation`, `SCIM-Resource`, `SCIM-Name`, `SCIM-Client`,
/// `SCIM-Request-Id`, and `SCIM-Bulk-Operation` for an operation of a `POST /Bulk`).
///
/// Everything a client chose (names, attribute values, even attribute names of an
/// undeclared extension) passes through `quote`, so it cannot start a line, end the
/// message, hold NUL or control characters, or grow it without bound: the only trailers
/// are the ones written here, as the message's last paragraph, and the body lists a few
/// dozen names at most, then counts.
struct CommitMessage {
    var subject: String
    var body: [String] = []
    var trailers: [(String, String)] = []

    /// Trailer keys, as `scimgit log` and `scimgit revert` read them back.
    static let operationKey = "SCIM-Operation"
    static let resourceKey = "SCIM-Resource"
    static let nameKey = "SCIM-Name"
    static let clientKey = "SCIM-Client"
    static let requestKey = "SCIM-Request-Id"
    static let bulkKey = "SCIM-Bulk-Operation"

    /// Longest name (userName, displayName) quoted in a message, in characters.
    static let nameLimit = 100
    /// Most names one body lists; beyond it, a count.
    static let listLimit = 50

    init(subject: String, operation: String, resource: String, name: String? = nil, context: Caller) {
        self.subject = CommitMessage.oneLine(subject)
        trailers = [(CommitMessage.operationKey, operation), (CommitMessage.resourceKey, resource)]
        if let name { trailers.append((CommitMessage.nameKey, CommitMessage.quote(name, limit: 256))) }
        trailers += [
            (CommitMessage.clientKey, CommitMessage.quote(context.client, limit: 100)),
            (CommitMessage.requestKey, CommitMessage.quote(context.requestID, limit: 128)),
        ]
        if let bulk = context.bulkOperation { trailers.append((CommitMessage.bulkKey, CommitMessage.quote(bulk, limit: 160))) }
    }

    /// A message with trailers of its own (`rollback`, `revert`); values are quoted here.
    init(subject: String, trailers: [(String, String)]) {
        self.subject = CommitMessage.oneLine(subject)
        self.trailers = trailers.map { ($0.0, CommitMessage.quote($0.1, limit: 256)) }
    }

    /// Most body lines a history command's message keeps (the change list of a large
    /// rollback); beyond it, a count.
    static let lineLimit = 400

    /// Lines of text for a body, each quoted and cut, at most `lineLimit` of them.
    mutating func addLines<S: Sequence>(_ lines: S) where S.Element: StringProtocol {
        let all = Array(lines)
        body += all.prefix(CommitMessage.lineLimit).map { CommitMessage.quote(String($0), limit: 300) }
        if all.count > CommitMessage.lineLimit { body.append("and \(all.count - CommitMessage.lineLimit) more lines") }
    }

    var text: String {
        var parts = [subject]
        if !body.isEmpty { parts.append(body.joined(separator: "\n")) }
        parts.append(trailers.map { "\($0.0): \($0.1)" }.joined(separator: "\n"))
        return parts.joined(separator: "\n\n") + "\n"
    }

    /// `name.givenName: "Ada" → "Augusta"`, one line per changed attribute.
    mutating func addChanges(_ changes: [AttributeChange]) {
        for change in changes.prefix(CommitMessage.listLimit) {
            body.append("\(CommitMessage.quote(change.path, limit: 200)): \(CommitMessage.show(change.before)) → \(CommitMessage.show(change.after))")
        }
        if changes.count > CommitMessage.listLimit { body.append("and \(changes.count - CommitMessage.listLimit) more attributes") }
    }

    /// Attribute values in a commit body: compact JSON, long ones shortened. (Passwords are
    /// never part of a resource, so never reach a commit.)
    static func show(_ value: JSONValue?) -> String {
        guard let value else { return "(none)" }
        return quote(value.serializedString(.compact), limit: 120)
    }

    /// A client's text as it may appear in a message: one line, escaped, at most `limit`.
    static func quote(_ text: String, limit: Int = nameLimit) -> String {
        DisplayText.escaped(text, limit: limit)
    }

    static func oneLine(_ text: String) -> String {
        quote(text, limit: 200)
    }

    static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    /// Names of the form `a, b, c and 12 more`, each quoted, at most `listLimit` of them.
    static func list(_ names: [String]) -> String {
        let shown = names.prefix(listLimit).map { quote($0) }.joined(separator: ", ")
        return names.count > listLimit ? shown + " and \(names.count - listLimit) more" : shown
    }

    /// The subject of a change to a user (or another kind without members): deactivation,
    /// reactivation and renames are named as such; anything else is an update.
    static func subject(_ kind: ResourceKind, name: String, changes: [AttributeChange]) -> String {
        if let rename = changes.first(where: { $0.path == kind.nameAttribute }),
           case let .string(old)? = rename.before, case let .string(new)? = rename.after {
            return "Rename \(kind.noun) \(quote(old)) to \(quote(new))"
        }
        if let active = changes.first(where: { $0.path == "active" }) {
            let before = active.before?.boolValue ?? true
            let after = active.after?.boolValue ?? true
            if before && !after { return "Deactivate \(kind.noun) \(quote(name))" }
            if !before && after { return "Reactivate \(kind.noun) \(quote(name))" }
        }
        return "Update \(kind.noun) \(quote(name))"
    }

    /// The subject of a change to a group: a rename, a membership change, or an update.
    static func groupSubject(name: String, changes: [AttributeChange], added: Int, removed: Int) -> String {
        var membership: [String] = []
        if added > 0 { membership.append("add \(plural(added, "member"))") }
        if removed > 0 { membership.append("remove \(plural(removed, "member"))") }
        if let rename = changes.first(where: { $0.path == "displayName" }),
           case let .string(old)? = rename.before, case let .string(new)? = rename.after {
            let base = "Rename group \(quote(old)) to \(quote(new))"
            return membership.isEmpty ? base : base + "; " + membership.joined(separator: ", ")
        }
        if !changes.isEmpty {
            return membership.isEmpty ? "Update group \(quote(name))" : "Update group \(quote(name)): " + membership.joined(separator: ", ")
        }
        switch (added, removed) {
        case (let a, 0): return "Add \(plural(a, "member")) to group \(quote(name))"
        case (0, let r): return "Remove \(plural(r, "member")) from group \(quote(name))"
        default: return "Add \(plural(added, "member")) to and remove \(plural(removed, "member")) from group \(quote(name))"
        }
    }
}
