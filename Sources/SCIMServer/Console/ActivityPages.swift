import Foundation
import SCIMService

/// The syncs, one sync or commit with its changes, and a sync's rollback.
enum ActivityPages {
    static func activity(_ syncs: [SyncSummary], client: String, since: String, sinceLabel: String, reading: Int? = nil) -> HTML {
        let rows: [HTML] = syncs.map { sync in
            """
            <tr><td><a href="/admin/syncs/\(HTML.urlComponent(sync.id))">\(sync.id)</a></td><td>\(sync.client)</td>\
            <td class="wide mono">\(ConsoleLayout.time(sync.start))<br>\(ConsoleLayout.time(sync.end))</td><td>\(sync.writes)</td><td>\(sync.words)</td></tr>
            """
        }
        let table: HTML = syncs.isEmpty
            ? "<p class=\"muted\">No syncs \(sinceLabel)\(client.isEmpty ? "" : " of \(client)").</p>"
            : "<table><thead><tr><th>Sync</th><th>Client</th><th class=\"wide\">From – to</th><th>Writes</th><th>What it did</th></tr></thead><tbody>\(rows)</tbody></table>"
        let progress: HTML = reading.map { "\(ConsoleLayout.message("Still reading this store's history for the first time (\($0) commits so far): the newest syncs are shown, older ones appear when it is done. Reload in a few seconds."))" } ?? ""
        return """
        \(progress)<form class="inline" method="get" action="/admin/activity">
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
        <p><a href="/admin/commits/\(commit.id)/revert">Preview reverting this commit</a></p>
        <h2>Changes</h2>\(ChangeList.render(changes))
        """
    }

    static func commitRow(_ commit: CommitSummary) -> HTML {
        "<tr><td class=\"mono\"><a href=\"/admin/commits/\(commit.id)\">\(commit.short)</a></td><td class=\"wide mono\">\(ConsoleLayout.time(commit.time))</td><td>\(commit.client)</td><td>\(commit.subject)</td></tr>"
    }

    /// What undoing something would change, exactly as the CLI's `--dry-run` prints it,
    /// and the one button that commits it (or, on a conflict, why nothing can be done).
    static func undoPreview(_ preview: RollbackPreview, command: String, action: String, back: String, hidden: [(String, String)] = [], csrf: String) -> HTML {
        if let conflict = preview.conflict {
            return """
            \(ConsoleLayout.message(conflict, error: true))<p>Nothing can be undone while later writes changed the same users or groups. <a href="\(back)">Back</a></p>
            """
        }
        if preview.lines.isEmpty {
            return "<p>\(preview.subject)</p><p class=\"muted\">Nothing to do: what it changed is no longer there. <a href=\"\(back)\">Back</a></p>"
        }
        let lines: [HTML] = preview.lines.prefix(2000).map { "<li>\($0)</li>" }
        let more: HTML = preview.lines.count > 2000 ? "<li class=\"muted\">and \(preview.lines.count - 2000) more</li>" : ""
        let fields: [HTML] = hidden.map { "<input type=\"hidden\" name=\"\($0.0)\" value=\"\($0.1)\">" }
        return """
        <p>This is exactly what <code>\(command) --dry-run</code> shows. Undoing makes one new commit, authored by you; what it undoes stays in the history.</p>
        <div class="card"><strong>\(preview.subject)</strong><ul class="changes">\(lines)\(more)</ul></div>
        <form method="post" action="\(action)"><input type="hidden" name="csrf" value="\(csrf)">\(fields)
        <button class="danger">Apply these \(preview.lines.count) changes</button> <a href="\(back)">Cancel</a></form>
        """
    }
}
