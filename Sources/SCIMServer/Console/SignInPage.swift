/// Sign-in with an admin token (`scimgit token add NAME --admin`).
enum SignInPage {
    static func render(csrf: String, error: String?, tenants: Bool = false) -> HTML {
        let tenant: HTML = tenants
            ? "<label>Organisation (empty for an operator of the whole server)<input name=\"tenant\" autocomplete=\"organization\"></label>"
            : ""
        return """
        \(error.map { ConsoleLayout.message($0, error: true) } ?? "")
        <form method="post" action="/admin/sign-in" class="card"><input type="hidden" name="csrf" value="\(csrf)">\(tenant)
        <label>Admin token<input type="password" name="token" autocomplete="current-password" required autofocus></label>
        <p><button>Sign in</button></p>
        <p class="muted">An admin token comes from <code>scimgit token add NAME --admin</code>; the tokens of identity providers cannot sign in.</p></form>
        """
    }
}
