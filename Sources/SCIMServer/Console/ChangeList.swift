import SCIMService

/// Changes in SCIM terms, laid out to scan: the same content as `scimgit diff`, one card
/// per user or group, attributes before → after, members added and removed.
enum ChangeList {
    static func render(_ set: ChangeSet) -> HTML {
        guard !set.changes.isEmpty || set.omitted > 0 || set.isTruncated else { return "<p class=\"muted\">No users or groups changed.</p>" }
        let shown = set.changes.map(card)
        let more: HTML = set.isTruncated
            ? "<p class=\"muted\">and more users and groups (<code>scimgit diff</code> shows all).</p>"
            : set.omitted > 0 ? "<p class=\"muted\">and \(set.omitted) more users and groups (<code>scimgit diff</code> shows all).</p>" : ""
        return "\(shown)\(more)"
    }

    private static func card(_ change: ChangeView) -> HTML {
        let sign = change.kind == .added ? "+" : change.kind == .removed ? "−" : "~"
        let path = change.resourceType == "Group" ? "groups" : "users"
        let link: HTML = change.kind == .removed
            ? "\(change.name)"
            : "<a href=\"/admin/\(path)/\(HTML.urlComponent(change.id))\">\(change.name)</a>"
        var lines: [HTML] = change.attributes.map { attribute in
            "<li><code>\(attribute.path)</code>: <span class=\"removed\">\(attribute.before)</span> → <span class=\"added\">\(attribute.after)</span></li>"
        }
        lines += change.membersAdded.map { "<li class=\"added\">+ member \($0)</li>" }
        lines += change.membersRemoved.map { "<li class=\"removed\">− member \($0)</li>" }
        return """
        <div class="card"><span class="\(change.kind.rawValue)">\(sign) \(change.resourceType.lowercased())</span> \(link)<ul class="changes">\(lines)</ul></div>
        """
    }
}
