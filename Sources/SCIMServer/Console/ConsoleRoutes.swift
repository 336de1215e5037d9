import Foundation
import Hummingbird
import Logging
import SCIMService

/// The admin console under `/admin/`: sign-in with an admin token, then the pages. Every
/// page is rendered here, on the server, and works without JavaScript; every form carries
/// the session's CSRF token; every change is made through `AdminService` as the signed-in
/// admin, so it is a commit authored by them.
struct ConsoleRoutes: Sendable {
    /// One store's console, or every tenant's.
    enum Source: Sendable {
        case single(any AdminService, adminTokens: any TokenVerifier)
        case tenants(any ConsoleTenants)
    }

    let source: Source
    /// `Secure` cookies: the console is reached over HTTPS (TLS here, or an https public URL).
    let secureCookies: Bool
    let sessions: ConsoleSessions
    let throttle = SignInThrottle()
    let logger: Logger

    typealias Session = ConsoleSessions.Session

    func install(on router: Router<SCIMRequestContext>) {
        router.get("/admin") { _, _ in ConsoleHTTP.redirect("/admin/activity") }
        router.get("/admin/sign-in") { request, _ in signInPage(request, error: nil) }
        router.post("/admin/sign-in") { request, context in try await signIn(request, context) }
        router.post("/admin/sign-out") { request, _ in
            await formAction(request) { _, _ in
                sessions.end(ConsoleHTTP.cookie(ConsoleHTTP.sessionCookie, in: request))
                return ConsoleHTTP.redirect("/admin/sign-in", headers: ConsoleHTTP.setCookie(ConsoleHTTP.sessionCookie, "", maxAge: 0, secure: secureCookies))
            }
        }
        router.get("/admin/tenants") { request, _ in
            guard let session = session(request) else { return ConsoleHTTP.redirect("/admin/sign-in") }
            guard case let .tenants(tenants) = source else { return ConsoleHTTP.redirect("/admin/activity") }
            let names = session.isOperator ? tenants.names() : [session.tenant].compactMap { $0 }
            return ConsoleHTTP.page(layout("Organisations", session, current: "tenants", TenantsPage.render(names, current: session.tenant, csrf: session.csrf, canChoose: session.isOperator)))
        }
        router.post("/admin/tenants") { request, _ in
            await formAction(request) { session, form in
                guard case let .tenants(tenants) = source, session.isOperator else {
                    throw AdminError(status: 403, "only an operator of the whole server chooses among organisations")
                }
                let name = form["tenant"] ?? ""
                guard let lease = await tenants.admin(of: name) else { throw AdminError.notFound("there is no organisation \(name)") }
                lease.done()
                lease.service.prepare()
                sessions.choose(tenant: name, for: ConsoleHTTP.cookie(ConsoleHTTP.sessionCookie, in: request))
                return ConsoleHTTP.redirect("/admin/activity")
            }
        }
        router.get("/admin/activity") { request, _ in
            await page(request, "Activity", current: "activity") { _, service in
                let client = ConsoleHTTP.query("client", request).trimmingCharacters(in: .whitespaces)
                let sinceText = ConsoleHTTP.query("since", request).trimmingCharacters(in: .whitespaces)
                let (since, label) = try ConsoleRoutes.since(sinceText)
                let syncs = try await service.activity(client: client.isEmpty ? nil : client, since: since, limit: ConsoleRoutes.activityLimit)
                return ActivityPages.activity(syncs, client: client, since: sinceText, sinceLabel: label, reading: service.historyProgress)
            }
        }
        router.get("/admin/syncs/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request, "Sync \(id)", current: "activity") { _, service in
                let (summary, changes) = try await service.sync(id: id)
                return ActivityPages.sync(summary, changes)
            }
        }
        router.get("/admin/syncs/:id/rollback") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request, "Roll back \(id)", current: "activity") { session, service in
                ActivityPages.undoPreview(
                    try await service.previewRollback(sync: id), command: "scimgit rollback --sync \(id)",
                    action: "/admin/syncs/\(HTML.urlComponent(id))/rollback", back: "/admin/syncs/\(HTML.urlComponent(id))", csrf: session.csrf)
            }
        }
        router.post("/admin/syncs/:id/rollback") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request) { session, _, service in
                let commit = try await service.rollback(sync: id, by: session.admin)
                return ConsoleHTTP.redirect("/admin/commits/\(commit)")
            }
        }
        router.get("/admin/commits/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request, "Commit \(id.prefix(7))", current: "activity") { _, service in
                let (commit, changes) = try await service.commit(id: id)
                return ActivityPages.commit(commit, changes)
            }
        }
        router.get("/admin/commits/:id/revert") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request, "Revert \(id.prefix(7))", current: "activity") { session, service in
                ActivityPages.undoPreview(
                    try await service.previewRevert(commit: id), command: "scimgit revert \(id.prefix(12))",
                    action: "/admin/commits/\(HTML.urlComponent(id))/revert", back: "/admin/commits/\(HTML.urlComponent(id))", csrf: session.csrf)
            }
        }
        router.post("/admin/commits/:id/revert") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request) { session, _, service in
                ConsoleHTTP.redirect("/admin/commits/\(try await service.revert(commit: id, by: session.admin))")
            }
        }
        router.get("/admin/rollback") { request, _ in
            let point = ConsoleHTTP.query("to", request)
            return await page(request, "Roll back to \(point)", current: "compare") { session, service in
                ActivityPages.undoPreview(
                    try await service.previewRollback(to: point), command: "scimgit rollback --to \(point)",
                    action: "/admin/rollback", back: "/admin/compare?from=\(HTML.urlComponent(point))&to=HEAD", hidden: [("to", point)], csrf: session.csrf)
            }
        }
        router.post("/admin/rollback") { request, _ in
            await action(request) { session, form, service in
                ConsoleHTTP.redirect("/admin/commits/\(try await service.rollback(to: form["to"] ?? "", by: session.admin))")
            }
        }
        router.get("/admin/search") { request, _ in
            await page(request, "Users & groups", current: "search") { _, service in
                let query = ConsoleHTTP.query("q", request)
                return ResourcePages.search(query, query.isEmpty ? nil : try await service.search(query, limit: 50))
            }
        }
        for (path, kind) in [("users", "User"), ("groups", "Group")] {
            router.get("/admin/\(path)/:id") { request, context in
                let id = context.parameters.get("id") ?? ""
                return await titledPage(request, current: "search") { _, service in
                    let resource = try await service.resource(kind: kind, id: id, historyLimit: 50)
                    return ("\(kind) \(resource.row.name)", ResourcePages.resource(resource))
                }
            }
        }
        router.get("/admin/snapshots") { request, _ in
            await page(request, "Snapshots", current: "snapshots") { session, service in
                let taken = ConsoleHTTP.query("taken", request)
                let notice: HTML = taken.isEmpty ? "" : ConsoleLayout.message("Snapshot \(taken) taken.")
                return SnapshotPages.snapshots(try await service.snapshots(), csrf: session.csrf, notice: notice)
            }
        }
        router.post("/admin/snapshots") { request, _ in
            await action(request) { session, form, service in
                let name = form["name"]?.trimmingCharacters(in: .whitespaces) ?? ""
                let made = try await service.createSnapshot(name: name, message: form["message"] ?? "", by: session.admin)
                return ConsoleHTTP.redirect("/admin/snapshots?taken=\(HTML.urlComponent(made.name))")
            }
        }
        router.get("/admin/compare") { request, _ in
            await page(request, "Compare", current: "compare") { _, service in
                let from = ConsoleHTTP.query("from", request), to = ConsoleHTTP.query("to", request)
                guard !from.isEmpty else { return SnapshotPages.compare(from: "", to: to.isEmpty ? "HEAD" : to, result: nil) }
                let result = try await service.compare(from: from, to: to.isEmpty ? "HEAD" : to)
                return SnapshotPages.compare(from: from, to: to.isEmpty ? "HEAD" : to, result: result)
            }
        }
        router.get("/admin/guard") { request, _ in
            await page(request, "Deprovisioning guard", current: "guard") { session, service in
                let notice: HTML = ConsoleHTTP.query("released", request).isEmpty ? "" : ConsoleLayout.message("Released: the held writes land when the identity provider retries them.")
                return GuardPage.render(try await service.guardStatus(), csrf: session.csrf, notice: notice)
            }
        }
        router.post("/admin/guard/release") { request, _ in
            await action(request) { session, form, service in
                let text = (form["for"] ?? "1h").trimmingCharacters(in: .whitespaces).lowercased()
                guard let seconds = ConsoleRoutes.duration(text), seconds >= 60, seconds <= 7 * 86_400 else {
                    throw AdminError("a release lasts between 1m and 7d, e.g. 30m or 2h")
                }
                _ = try await service.releaseGuard(for: seconds, by: session.admin)
                return ConsoleHTTP.redirect("/admin/guard?released=1")
            }
        }
    }

    // MARK: - Sign-in

    private func signInPage(_ request: Request, error: String?, status: HTTPResponse.Status = .ok) -> Response {
        let csrf = RandomBytes.hex(count: 16)
        return ConsoleHTTP.page(
            ConsoleLayout.page("Sign in", admin: nil, csrf: nil, SignInPage.render(csrf: csrf, error: error)), status: status,
            headers: ConsoleHTTP.setCookie(ConsoleHTTP.signInCookie, csrf, maxAge: 600, secure: secureCookies))
    }

    private func signIn(_ request: Request, _ context: SCIMRequestContext) async throws -> Response {
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        if let wait = throttle.retryAfter(address) {
            logger.warning("console: sign-in refused for \(address): too many wrong tokens")
            var response = signInPage(request, error: "Too many wrong tokens: wait \(wait) s and try again.", status: .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            return response
        }
        let form = try await ConsoleHTTP.form(request)
        guard let csrf = form["csrf"], !csrf.isEmpty, csrf == ConsoleHTTP.cookie(ConsoleHTTP.signInCookie, in: request) else {
            return signInPage(request, error: "The sign-in form expired; try again.", status: .forbidden)
        }
        let presented = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let tenant = (form["tenant"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let signedIn: (admin: String, tenant: String?, isOperator: Bool)?
        switch source {
        case let .single(_, adminTokens):
            signedIn = adminTokens.verify(presented).map { ($0, nil, false) }
        case let .tenants(tenants):
            if tenant.isEmpty {
                signedIn = tenants.operatorTokens.verify(presented).map { ($0, nil, true) }
            } else {
                signedIn = tenants.adminTokens(of: tenant)?.verify(presented).map { ($0, tenant, false) }
            }
        }
        guard let signedIn, !presented.isEmpty else {
            throttle.failed(address)
            logger.notice("console: a wrong admin token from \(address)")
            return signInPage(request, error: "That is not an admin token of this server\(isTenants ? " (or of that organisation)" : "") (identity providers' tokens cannot sign in).", status: .unauthorized)
        }
        let admin = signedIn.admin
        let (id, _) = sessions.start(admin: admin, tenant: signedIn.tenant, isOperator: signedIn.isOperator)
        if case let .single(service, _) = source { service.prepare() }
        logger.notice("console: \(admin) signed in from \(address)")
        var headers = ConsoleHTTP.setCookie(ConsoleHTTP.sessionCookie, id, maxAge: Int(ConsoleSessions.lifetime.components.seconds), secure: secureCookies)
        headers.append(contentsOf: ConsoleHTTP.setCookie(ConsoleHTTP.signInCookie, "", maxAge: 0, secure: secureCookies))
        return ConsoleHTTP.redirect(signedIn.isOperator ? "/admin/tenants" : "/admin/activity", headers: headers)
    }

    // MARK: - Pages and actions

    private func session(_ request: Request) -> Session? {
        sessions.session(ConsoleHTTP.cookie(ConsoleHTTP.sessionCookie, in: request))
    }

    /// A page for a signed-in admin (others are sent to sign in), its failures shown on it.
    private func page(
        _ request: Request, _ title: String, current: String, _ body: (Session, any AdminService) async throws -> HTML
    ) async -> Response {
        await titledPage(request, current: current) { session, service in (title, try await body(session, service)) }
    }

    /// A page whose title depends on what it shows.
    private func titledPage(
        _ request: Request, current: String, _ body: (Session, any AdminService) async throws -> (String, HTML)
    ) async -> Response {
        guard let session = session(request) else { return ConsoleHTTP.redirect("/admin/sign-in") }
        do {
            let (title, html) = try await withService(session) { service in try await body(session, service) }
            return ConsoleHTTP.page(layout(title, session, current: current, html))
        } catch {
            return errorPage(error, session)
        }
    }

    /// The store a session works on: the one store, or its tenant's (held open while used).
    private func withService<T>(_ session: Session, _ body: (any AdminService) async throws -> T) async throws -> T {
        switch source {
        case let .single(service, _):
            return try await body(service)
        case let .tenants(tenants):
            guard let tenant = session.tenant else {
                throw AdminError(status: 409, "Choose an organisation first (Organisations).")
            }
            guard let lease = await tenants.admin(of: tenant) else { throw AdminError.notFound("there is no organisation \(tenant) (any more)") }
            defer { lease.done() }
            return try await body(lease.service)
        }
    }

    private func layout(_ title: String, _ session: Session, current: String, _ html: HTML) -> HTML {
        ConsoleLayout.page(title, admin: session.admin, csrf: session.csrf, current: current, tenant: session.tenant, tenants: isTenants, html)
    }

    private var isTenants: Bool {
        if case .tenants = source { return true }
        return false
    }

    /// A form's POST: signed in, and carrying the session's CSRF token, or refused.
    private func action(_ request: Request, _ body: (Session, [String: String], any AdminService) async throws -> Response) async -> Response {
        await formAction(request) { session, form in
            try await withService(session) { service in try await body(session, form, service) }
        }
    }

    /// A form's POST that needs no store (sign-out, choosing an organisation).
    private func formAction(_ request: Request, _ body: (Session, [String: String]) async throws -> Response) async -> Response {
        guard let session = session(request) else { return ConsoleHTTP.redirect("/admin/sign-in") }
        let form: [String: String]
        do {
            form = try await ConsoleHTTP.form(request)
        } catch {
            return errorPage(AdminError(status: 413, "the form is too large"), session)
        }
        guard let csrf = form["csrf"], ConstantTime.equals(Array(csrf.utf8), Array(session.csrf.utf8)) else {
            logger.warning("console: a form of \(session.admin)'s session without its CSRF token was refused")
            return errorPage(AdminError(status: 403, "This form did not come from this console (its CSRF token is missing or wrong); nothing was changed."), session)
        }
        do {
            return try await body(session, form)
        } catch {
            return errorPage(error, session)
        }
    }

    func errorPage(_ thrown: any Error, _ session: Session) -> Response {
        let error = thrown as? AdminError ?? AdminError(status: 500, "something went wrong; the server log says what")
        if !(thrown is AdminError) { logger.error("console: \(String(reflecting: thrown))") }
        return ConsoleHTTP.page(
            layout("Not done", session, current: "", ConsoleLayout.message(error.message, error: true)),
            status: HTTPResponse.Status(code: error.status))
    }

    /// Most syncs the activity page lists (narrow it with `since` and `client`).
    static let activityLimit = 50

    // MARK: - Parsing

    /// `since` as typed: empty (the last 7 days), `24h`/`7d`, or a date or time (UTC).
    static func since(_ text: String) throws(AdminError) -> (Date, String) {
        if text.isEmpty { return (Date().addingTimeInterval(-7 * 86_400), "in the last 7 days") }
        if let seconds = duration(text.lowercased()) { return (Date().addingTimeInterval(-seconds), "in the last \(text)") }
        for format in ["yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return (date, "since \(text)") }
        }
        throw AdminError("cannot read the time '\(text)': give 24h, 7d, a date (2026-11-29) or a time (2026-11-29 10:05, UTC)")
    }

    static func duration(_ text: String) -> TimeInterval? {
        for (unit, factor) in [("m", 60.0), ("h", 3600.0), ("d", 86_400.0)] where text.hasSuffix(unit) {
            if let value = Double(text.dropLast()), value > 0, value.isFinite { return value * factor }
        }
        return nil
    }
}
