import Foundation
import Synchronization

/// Signed-in admins: a random session id (the cookie) → who, the CSRF token every form
/// of the session carries, and when it ends. In memory: a restart signs everyone out.
final class ConsoleSessions: Sendable {
    struct Session: Sendable {
        var admin: String
        /// The organisation the session works on (a server of many); nil for one store, or
        /// for an operator who has not chosen yet.
        var tenant: String?
        /// An operator of the whole server (may choose any organisation).
        var isOperator = false
        var csrf: String
        var expires: ContinuousClock.Instant
        var lastUsed: ContinuousClock.Instant
    }

    /// A session ends eight hours after sign-in, or after an hour unused.
    static let lifetime = Duration.seconds(8 * 3600)
    static let idleLimit = Duration.seconds(3600)

    private let sessions = Mutex<[String: Session]>([:])

    func start(admin: String, tenant: String? = nil, isOperator: Bool = false) -> (id: String, session: Session) {
        let now = ContinuousClock.now
        let session = Session(
            admin: admin, tenant: tenant, isOperator: isOperator, csrf: RandomBytes.hex(count: 32),
            expires: now + ConsoleSessions.lifetime, lastUsed: now)
        let id = RandomBytes.hex(count: 32)
        sessions.withLock { all in
            all = all.filter { $0.value.expires > now && now - $0.value.lastUsed < ConsoleSessions.idleLimit }
            all[id] = session
        }
        return (id, session)
    }

    /// The live session of `id`, touched; nil when unknown or ended.
    func session(_ id: String?, now: ContinuousClock.Instant = .now) -> Session? {
        guard let id, !id.isEmpty else { return nil }
        return sessions.withLock { all in
            guard var session = all[id] else { return nil }
            guard session.expires > now, now - session.lastUsed < ConsoleSessions.idleLimit else {
                all[id] = nil
                return nil
            }
            session.lastUsed = now
            all[id] = session
            return session
        }
    }

    func choose(tenant: String, for id: String?) {
        guard let id else { return }
        sessions.withLock { $0[id]?.tenant = tenant }
    }

    func end(_ id: String?) {
        guard let id else { return }
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    /// For tests: ends every session as if its time had run out.
    func expireAll() {
        sessions.withLock { all in
            for key in all.keys { all[key]?.expires = .now - .seconds(1) }
        }
    }
}

/// Wrong admin tokens, per client address: five a minute, then 429 with `Retry-After`,
/// as API calls are limited (a token has 256 bits; this keeps the log and the CPU quiet).
final class SignInThrottle: Sendable {
    private let failures = Mutex<[String: [ContinuousClock.Instant]]>([:])
    static let allowed = 5
    static let window = Duration.seconds(60)

    /// Seconds to wait before trying again; nil when a try is allowed.
    func retryAfter(_ address: String, now: ContinuousClock.Instant = .now) -> Int? {
        failures.withLock { all in
            let recent = (all[address] ?? []).filter { now - $0 < SignInThrottle.window }
            all[address] = recent
            guard recent.count >= SignInThrottle.allowed, let oldest = recent.first else { return nil }
            let wait = SignInThrottle.window - (now - oldest)
            return max(1, Int(wait.components.seconds) + 1)
        }
    }

    func failed(_ address: String) {
        failures.withLock { all in
            if all.count > 10_000 { all.removeAll() }
            all[address, default: []].append(.now)
        }
    }
}
