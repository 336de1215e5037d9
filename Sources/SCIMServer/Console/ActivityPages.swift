import Foundation
import SCIMService

/// The syncs, one sync or commit with its changes, and a sync's rollback.
enum ActivityPages {
    static func activity(_ syncs: [SyncSummary], client: String, since: String, sinceLabel: String) -> HTML {
        let rows: [HTML] = syncs.map { sync in
            """
            <tr><td><a href="/admin/syncs/\(HTML.urlComponent(sync.id))">\(sync.id)</a></td><td>\(sync.client)</td>\
            <td class="wide mono">\(ConsoleLayout.time(sync.start))<br>\(ConsoleLayout.time(sync.end))</td><td>\(sync.writes)</td><td>\(sync.words)</td></tr>
            """
        }
        let table: HTML = syncs.isEmpty
            ? "<p class=\"muted\">No syncs \(sinceLabel)\(client.isEmpty ? "" : " of \(client)").</p>"
            : "<table><thead><tr><th>Sync</th><th>Client</th><th class=\"wide\">From – to</th><th>Writes</th><th>What it did</th></tr></thead><tbody>\(rows)</tbody></table>"
        return """
        <form class="inline" method="get" action="/admin/activity">
        <label>Client<input name="client" value="\(client)" placeholder="okta"></label>
        <label>Since<input name="since" value="\(since)" placeholder="2026-11-29 or 24h"></label><button>Show</button></form>
        <p class="muted">Each identity provider's runs of writes (a pause of more than five minutes starts a new one), newest first, \(sinceLabel)\(syncs.count >= ConsoleRoutes.activityLimit ? " (the newest \(ConsoleRoutes.activityLimit); narrow by client or time for others)" : "").</p>
        \(table)
        """
    }

    static func sync(_ summary: SyncSummary, _ changes: ChangeSet) -> HTML {
        let commits: [HTML] = summary.commits.map(commitRow)
        return """
        <p><strong>\(summary.client)</strong>, \(ConsoleLayout.time(summary.start)) – \(ConsoleLayout.time(summary.end)): \(summary.writes) writes, \(summary.words).</p>
        <p><a href="/admin/syncs/\(HTML.urlComponent(summary.id))/rollback">Preview rolling back this sync</a></p>
        <h2>Changes</h2>\(ChangeList.render(changes))
        <h2>Commits</h2><table><tbody>\(commits)</tbody></table>
        """
    }

    static func commit(_ commit: CommitSummary, _ changes: ChangeSet) -> HTML {
        """
        <p class="mono">\(commit.id)</p><p>\(commit.subject)</p><p class="muted">by \(commit.author) (client \(commit.client)), \(ConsoleLayout.time(commit.time))</p>
        <h2>Changes</h2>\(ChangeList.render(changes))
        """
    }

    static func commitRow(_ commit: CommitSummary) -> HTML {
        "<tr><td class=\"mono\"><a href=\"/admin/commits/\(commit.id)\">\(commit.short)</a></td><td class=\"wide mono\">\(ConsoleLayout.time(commit.time))</td><td>\(commit.client)</td><td>\(commit.subject)</td></tr>"
    }

    static func rollbackPreview(_ syncID: String, _ preview: RollbackPreview, csrf: String) -> HTML {
        if let conflict = preview.conflict {
            return """
            \(ConsoleLayout.message(conflict, error: true))<p>Nothing can be rolled back while later writes changed the same users or groups. <a href="/admin/syncs/\(HTML.urlComponent(syncID))">Back to the sync</a></p>
            """
        }
        let lines: [HTML] = preview.lines.map { "<li>\($0)</li>" }
        return """
        <p>This is exactly what <code>scimgit rollback --sync \(syncID) --dry-run</code> shows. Rolling back makes one new commit, authored by you; the sync stays in the history.</p>
        <div class="card"><strong>\(preview.subject)</strong><ul class="changes">\(lines)</ul></div>
        <form method="post" action="/admin/syncs/\(HTML.urlComponent(syncID))/rollback"><input type="hidden" name="csrf" value="\(csrf)">
        <button class="danger">Roll back these \(preview.lines.count) changes</button> <a href="/admin/syncs/\(HTML.urlComponent(syncID))">Cancel</a></form>
        """
    }
}
