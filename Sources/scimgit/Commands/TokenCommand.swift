import ArgumentParser
import Foundation
import SCIMServer

/// `scimgit token add|list|revoke`: the API tokens identity providers authenticate with.
///
/// Tokens live as salted hashes in `<store>/.git/scimgit/tokens.json` (`TokenStore`):
/// inside the repository, so they travel with the store, but outside the working tree, so
/// they are never committed.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke the API tokens identity providers use.",
        discussion: """
        Okta, Entra ID and other identity providers authenticate to scimgit with an API token, \
        sent as `Authorization: Bearer <token>` or as the bare token. Give each provider its own \
        token: the token's name is recorded as the author of every commit its requests make.

        Tokens are kept as salted hashes in DIR/.git/scimgit/tokens.json (mode 0600), never in \
        the working tree or in history; the secret itself is shown once, by `token add`. A \
        running `scimgit serve` picks up added and revoked tokens on the next request.

        Admin tokens (`token add NAME --admin`) sign in to the admin console at /admin/ and \
        nothing else; they are kept apart, in DIR/.git/scimgit/admin-tokens.json, and an \
        identity provider's token cannot sign in.
        """,
        subcommands: [Add.self, List.self, Revoke.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print its secret, once.",
            discussion: """
            Prints a new random secret (256 bits, URL-safe) for NAME. Paste it into the identity \
            provider: Okta's "API Token" (Header Auth, with or without "Bearer ") or Entra's \
            "Secret Token". Only a salted hash is stored, so the secret cannot be shown again: \
            if it is lost, revoke the token and add a new one.
            """
        )

        @Argument(help: "The client's name, e.g. okta or entra (for --admin, the person's): letters, digits, '.', '_', '-' (at most 64).")
        var name: String

        @Flag(help: "An admin token: signs in to the admin console (/admin/) as NAME, and cannot call the SCIM API.")
        var admin = false

        @Option(help: ArgumentHelp("With --admin: an operator of the server of many organisations in ROOT (`serve --tenants ROOT`), who may open any organisation in the console.", valueName: "ROOT"))
        var root: String?

        @OptionGroup var store: StoreOptions

        static func addOperator(_ name: String, root: String) throws -> String {
            let tokens = TokenStore(path: TenantConsole.operatorTokenPath(root: root))
            let result: Result<String, TokenError>
            do { result = .success(try tokens.add(name: name)) } catch { result = .failure(error) }
            switch result {
            case let .success(secret): return secret
            case let .failure(error): throw CLIError(error.description)
            }
        }

        func validate() throws {
            if root != nil && !admin { throw ValidationError("--root is for operators' admin tokens: add --admin") }
        }

        func run() throws {
            if let root {
                let folder = try TenantRoot(path: URL(fileURLWithPath: root).standardizedFileURL.path)
                let secret = try Add.addOperator(name, root: folder.path)
                print("Created operator admin token \"\(name)\" for \(folder.path). Copy its secret now: it is not stored and will not be shown again.")
                print("")
                print(secret)
                return
            }
            let secret: String
            do {
                let tokens = try admin ? store.adminTokenStore() : store.tokenStore()
                let other = try admin ? store.tokenStore() : store.adminTokenStore()
                if try other.list().contains(where: { $0.name.lowercased() == name.lowercased() }) {
                    throw CLIError("\"\(name)\" is already \(admin ? "an API" : "an admin") token's name: each name stands for one kind of token")
                }
                secret = try tokens.add(name: name)
            } catch let error as TokenError {
                throw CLIError(error.description)
            }
            print("Created \(admin ? "admin token" : "token") \"\(name)\". Copy its secret now: it is not stored and will not be shown again.")
            print("")
            print(secret)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the tokens: names and creation times, never secrets."
        )

        @OptionGroup var store: StoreOptions

        func run() throws {
            let tokens: [(token: TokenStore.Token, kind: String)]
            do {
                tokens = try store.tokenStore().list().map { ($0, "api") } + store.adminTokenStore().list().map { ($0, "admin") }
            } catch let error as TokenError {
                throw CLIError(error.description)
            }
            guard !tokens.isEmpty else {
                print("No tokens. Create one with `scimgit token add NAME`.")
                return
            }
            let formatter = ISO8601DateFormatter()
            let width = max(4, tokens.map(\.token.name.count).max() ?? 0)
            print("NAME".padding(toLength: width, withPad: " ", startingAt: 0) + "  KIND   CREATED")
            for (token, kind) in tokens {
                print(token.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + kind.padding(toLength: 5, withPad: " ", startingAt: 0) + "  " + formatter.string(from: token.created))
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a token: requests using it are refused from then on.",
            discussion: "A running `scimgit serve` refuses the token from its next request on; no restart is needed."
        )

        @Argument(help: "The name of the token to revoke.")
        var name: String

        @OptionGroup var store: StoreOptions

        func run() throws {
            do {
                let admin = try store.adminTokenStore()
                if try admin.list().contains(where: { $0.name == name }) {
                    try admin.revoke(name: name)
                } else {
                    try store.tokenStore().revoke(name: name)
                }
            } catch let error as TokenError {
                throw CLIError(error.description)
            }
            print("Revoked token \"\(name)\".")
        }
    }
}
