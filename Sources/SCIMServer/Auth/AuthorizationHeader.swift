/// Extracts the API token from `Authorization` header values.
///
/// Okta's "Header Auth" sends the token exactly as the admin typed it, so both
/// `Authorization: Bearer <token>` (scheme in any case) and a bare `Authorization: <token>`
/// are accepted. Anything else — no header, `Bearer` with no token, another scheme such as
/// `Basic …`, several headers — yields a reason for the 401 that never repeats what was
/// sent (it may be a secret).
enum AuthorizationHeader {
    enum Credential: Equatable {
        case token(String)
        case rejected(reason: String)
    }

    static func credential(from values: [String]) -> Credential {
        guard let first = values.first else { return .rejected(reason: "the Authorization header is missing") }
        guard values.count == 1 else { return .rejected(reason: "more than one Authorization header was sent") }
        let value = first.trimmingASCIIWhitespace
        guard !value.isEmpty else { return .rejected(reason: "the Authorization header is empty") }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let space = value.firstIndex(where: isSpace) else {
            if value.lowercased() == "bearer" { return .rejected(reason: "the Bearer scheme needs a token") }
            return .token(value)
        }
        let scheme = value[..<space]
        guard scheme.lowercased() == "bearer" else {
            return .rejected(reason: "unsupported authorization scheme: send \"Bearer <token>\" or the token alone")
        }
        let token = String(value[space...]).trimmingASCIIWhitespace
        guard !token.isEmpty else { return .rejected(reason: "the Bearer scheme needs a token") }
        guard !token.contains(where: isSpace) else { return .rejected(reason: "a token cannot contain spaces") }
        return .token(token)
    }
}
