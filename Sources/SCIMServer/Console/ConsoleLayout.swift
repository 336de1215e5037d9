import Foundation

/// The frame of every console page: one inline style sheet (nothing is fetched from
/// elsewhere), a navigation bar, and the sign-out form. Readable from a phone's width up.
enum ConsoleLayout {
    static func page(_ title: String, admin: String?, csrf: String?, current: String = "", tenant: String? = nil, tenants: Bool = false, _ body: HTML) -> HTML {
        let nav: HTML
        if let admin, let csrf {
            var pages = [("activity", "Activity"), ("search", "Users & groups"), ("snapshots", "Snapshots"), ("compare", "Compare"), ("guard", "Guard")]
            if tenants { pages.insert(("tenants", tenant.map { "Organisation: \($0)" } ?? "Organisations"), at: 0) }
            let links: [HTML] = pages.map { path, label in
                path == current ? "<a href=\"/admin/\(path)\" aria-current=\"page\">\(label)</a>" : "<a href=\"/admin/\(path)\">\(label)</a>"
            }
            nav = """
            <nav>\(links)<form method="post" action="/admin/sign-out" class="out"><input type="hidden" name="csrf" value="\(csrf)"><span>\(admin)</span> <button>Sign out</button></form></nav>
            """
        } else {
            nav = ""
        }
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title) · scimgit</title><style>\(HTML(raw: style))</style></head>
        <body><header><strong>scimgit</strong> admin</header>\(nav)<main><h1>\(title)</h1>
        \(body)</main></body></html>
        """
    }

    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss'Z'"
        return formatter.string(from: date)
    }

    static func message(_ text: String, error: Bool = false) -> HTML {
        error ? "<p class=\"error\" role=\"alert\">\(text)</p>" : "<p class=\"note\">\(text)</p>"
    }

    private static let style = """
    *{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2430;background:#f6f7f9}
    header{background:#1d2430;color:#fff;padding:.6rem 1rem}nav{display:flex;flex-wrap:wrap;gap:.2rem .9rem;align-items:center;padding:.5rem 1rem;background:#fff;border-bottom:1px solid #dde1e6}
    nav a{color:#1d4ed8;text-decoration:none}nav a[aria-current]{font-weight:600;color:#1d2430}nav .out{margin-left:auto;display:flex;gap:.5rem;align-items:center}
    main{max-width:70rem;margin:0 auto;padding:1rem}h1{font-size:1.35rem;margin:.3rem 0 1rem}h2{font-size:1.1rem;margin:1.4rem 0 .5rem}
    table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #dde1e6}th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #eceef1;vertical-align:top}
    th{font-size:.8rem;text-transform:uppercase;letter-spacing:.03em;color:#5b6472}td.mono,code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85rem}
    pre{background:#fff;border:1px solid #dde1e6;padding:.8rem;overflow:auto;white-space:pre-wrap;word-break:break-word}
    a{color:#1d4ed8}.card{background:#fff;border:1px solid #dde1e6;padding:.7rem .9rem;margin:.5rem 0}.muted{color:#5b6472}
    .added{color:#116329}.removed{color:#a40e26}.modified{color:#7d4e00}ul.changes{list-style:none;padding:0;margin:.3rem 0 0}ul.changes li{padding:.1rem 0}
    .pill{display:inline-block;padding:0 .45rem;border-radius:.7rem;font-size:.8rem;background:#eef2ff;color:#3730a3}.holding{background:#fee2e2;color:#991b1b}.ok{background:#dcfce7;color:#166534}
    form.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:.5rem 0 1rem}label{display:flex;flex-direction:column;font-size:.85rem;color:#5b6472}
    input,button{font:inherit;padding:.4rem .55rem;border:1px solid #c4cad3;border-radius:.3rem}button{background:#1d4ed8;color:#fff;border-color:#1d4ed8;cursor:pointer}
    button.danger{background:#b91c1c;border-color:#b91c1c}.error{background:#fee2e2;border:1px solid #fecaca;padding:.6rem .8rem}.note{background:#eff6ff;border:1px solid #bfdbfe;padding:.6rem .8rem}
    @media (max-width:40rem){th.wide,td.wide{display:none}main{padding:.6rem}nav .out{margin-left:0}table{font-size:.85rem}th,td{padding:.35rem .35rem;overflow-wrap:anywhere}th{letter-spacing:0}}
    """
}
