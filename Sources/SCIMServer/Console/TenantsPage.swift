/// The organisations of a server of many: an operator chooses one, an organisation's own
/// admin sees only theirs.
enum TenantsPage {
    static func render(_ names: [String], current: String?, csrf: String, canChoose: Bool) -> HTML {
        let rows: [HTML] = names.map { name in
            let choose: HTML = canChoose && name != current
                ? "<form method=\"post\" action=\"/admin/tenants\"><input type=\"hidden\" name=\"csrf\" value=\"\(csrf)\"><input type=\"hidden\" name=\"tenant\" value=\"\(name)\"><button>Open</button></form>"
                : name == current ? "<span class=\"pill ok\">open</span>" : ""
            return "<tr><td>\(name)</td><td>\(choose)</td></tr>"
        }
        let table: HTML = names.isEmpty ? "<p class=\"muted\">No organisations yet (scimgit tenant add NAME).</p>" : "<table><tbody>\(rows)</tbody></table>"
        return """
        <p class="muted">Each organisation is a store of its own: its activity, users, snapshots and guard.</p>\(table)
        """
    }
}
