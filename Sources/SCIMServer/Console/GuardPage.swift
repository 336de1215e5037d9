import SCIMService

/// The deprovisioning guard: holding or not, what is held, and the release.
enum GuardPage {
    static func render(_ view: GuardView, csrf: String, notice: HTML) -> HTML {
        let lines: [HTML] = view.lines.map { "\($0)\n" }
        let state: HTML = view.holding ? "<span class=\"pill holding\">holding</span>" : "<span class=\"pill ok\">not holding</span>"
        let sync: HTML = view.syncID.map { "<p><a href=\"/admin/syncs/\(HTML.urlComponent($0))\">Review the sync that tripped it</a></p>" } ?? ""
        let release: HTML = view.holding ? """
        <form class="inline" method="post" action="/admin/guard/release"><input type="hidden" name="csrf" value="\(csrf)">
        <label>Let deprovisioning through for<input name="for" value="1h" size="5"></label><button class="danger">Release the guard</button></form>
        <p class="muted">The held writes land when the identity provider retries them. The release is a commit authored by you.</p>
        """ : ""
        return "\(notice)<p>\(state)</p><pre>\(lines)</pre>\(sync)\(release)"
    }
}
