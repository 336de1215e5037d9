import SCIMService

/// Snapshots (list, take one) and comparing any two points.
enum SnapshotPages {
    static func snapshots(_ rows: [SnapshotRow], csrf: String, notice: HTML) -> HTML {
        let body: [HTML] = rows.map { snapshot in
            "<tr><td><a href=\"/admin/compare?from=\(HTML.urlComponent(snapshot.name))&amp;to=HEAD\">\(snapshot.name)</a></td><td class=\"mono\">\(snapshot.commit)</td><td class=\"wide mono\">\(ConsoleLayout.time(snapshot.time))</td><td>\(snapshot.message)</td></tr>"
        }
        let table: HTML = rows.isEmpty
            ? "<p class=\"muted\">No snapshots yet.</p>"
            : "<table><thead><tr><th>Name</th><th>Commit</th><th class=\"wide\">Taken</th><th>Message</th></tr></thead><tbody>\(body)</tbody></table>"
        return """
        \(notice)
        <form class="inline" method="post" action="/admin/snapshots"><input type="hidden" name="csrf" value="\(csrf)">
        <label>Name<input name="name" required pattern="[A-Za-z0-9._-]+" placeholder="before-sync"></label><label>Message<input name="message" placeholder="Before the nightly Okta sync"></label><button>Take a snapshot</button></form>
        \(table)
        """
    }

    static func compare(from: String, to: String, result: (label: String, changes: ChangeSet)?) -> HTML {
        let shown: HTML = result.map {
            "<h2>\($0.label)</h2><p><a href=\"/admin/rollback?to=\(HTML.urlComponent(from))\">Preview rolling everything back to \(from)</a></p>\(ChangeList.render($0.changes))"
        } ?? ""
        return """
        <form class="inline" method="get" action="/admin/compare"><label>From<input name="from" value="\(from)" placeholder="before-sync"></label>
        <label>To<input name="to" value="\(to)" placeholder="HEAD"></label><button>Compare</button></form>
        <p class="muted">A snapshot name, a commit id, HEAD~N, or a time (2026-11-29T10:05:00Z).</p>\(shown)
        """
    }
}
