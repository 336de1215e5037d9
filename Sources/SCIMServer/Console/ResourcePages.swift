import SCIMService

/// Finding a user or group, and one resource with its history.
enum ResourcePages {
    static func search(_ query: String, _ rows: [ResourceRow]?) -> HTML {
        let results: HTML
        if let rows {
            let body: [HTML] = rows.map(row)
            results = rows.isEmpty
                ? "<p class=\"muted\">No user or group has that userName, email, externalId or displayName.</p>"
                : "<table><thead><tr><th>Type</th><th>Name</th><th class=\"wide\">Details</th></tr></thead><tbody>\(body)</tbody></table>"
        } else {
            results = ""
        }
        return """
        <form class="inline" method="get" action="/admin/search"><label>userName, email, externalId or displayName<input name="q" value="\(query)" autofocus></label><button>Find</button></form>
        \(results)
        """
    }

    static func row(_ row: ResourceRow) -> HTML {
        let path = row.resourceType == "Group" ? "groups" : "users"
        return "<tr><td>\(row.resourceType)</td><td><a href=\"/admin/\(path)/\(HTML.urlComponent(row.id))\">\(row.name)</a></td><td class=\"wide\">\(row.detail)</td></tr>"
    }

    static func resource(_ page: ResourcePage) -> HTML {
        let isGroup = page.row.resourceType == "Group"
        let related: [HTML] = page.related.map(row)
        let history: [HTML] = page.history.map(ActivityPages.commitRow)
        let relatedTable: HTML = page.related.isEmpty ? "<p class=\"muted\">None.</p>" : "<table><tbody>\(related)</tbody></table>"
        return """
        <p class="muted">\(page.row.detail)</p>
        <h2>\(isGroup ? "Members" : "Groups") (\(page.related.count))</h2>
        \(relatedTable)
        <h2>History</h2><table><tbody>\(history)</tbody></table>
        <h2>As stored</h2><pre>\(page.document)</pre>
        """
    }
}
