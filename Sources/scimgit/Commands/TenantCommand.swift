import ArgumentParser
import Directory
import Files
import Foundation
import GitStore
import SCIMServer

/// `scimgit tenant add|list|remove`: the organisations of a server of many, one store each.
struct TenantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant",
        abstract: "Add, list and remove the organisations (tenants) of a server of many.",
        discussion: """
        A tenant is a whole scimgit store, ROOT/NAME, served by `scimgit serve --tenants ROOT` at \
        the Base URL /scim/v2/NAME with its own tokens, history, snapshots and rollbacks. Every \
        other command works on a tenant as on any store: --repo ROOT/NAME.

        Names are lowercase letters, digits and '-', 1 to 63 characters, starting with a letter \
        or digit, and not a SCIM endpoint name (Users, Groups, Schemas, …).
        """,
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a tenant's store and its first token; print its Base URL and the token.",
            discussion: """
            Hand both to the organisation's identity admin: in Okta's "SCIM 2.0 Test App (Header \
            Auth)" the Base URL and the API token, in Entra ID the Tenant URL and Secret Token. \
            The token is shown once; only its hash is kept. A running server serves the new \
            tenant on its first request, without a restart.
            """
        )

        @Argument(help: "The tenant's name, e.g. acme.") var name: String
        @OptionGroup var root: TenantRootOptions
        @Option(help: "The name of the first token (the author of the commits its requests make).") var tokenName = "default"
        @Option(help: "The public base URL of the server, e.g. https://scim.example.com/scim/v2, to print the tenant's full Base URL.")
        var publicURL: String?

        func run() throws {
            do {
                try TenantName.validate(name)
            } catch {
                throw CLIError("cannot add tenant: \(error)")
            }
            let tenants = try TenantRoot(path: root.path, create: true)
            guard tenants.folder.status(name) == nil else {
                throw CLIError("\(tenants.storePath(name)) already exists; choose another name or remove that tenant first")
            }
            let path = tenants.storePath(name)
            try StoreSetup.create(at: path).close()
            let secret: String
            do {
                secret = try TokenStore(path: TokenStore.path(forStore: path)).add(name: tokenName)
            } catch {
                throw CLIError("created \(path), but not its token: \(error) (add one with `scimgit token add NAME --repo \(path)`)")
            }
            let base = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? "/scim/v2"
            print("Created tenant \(name) in \(path)")
            print("Base URL: \(base)/\(name)")
            print("API token \"\(tokenName)\" (shown once; only its hash is kept):")
            print(secret)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tenants: name, users, groups, last write.")

        @OptionGroup var root: TenantRootOptions

        func run() throws {
            let tenants = try TenantRoot(path: root.path)
            let names = try tenants.tenants()
            if names.isEmpty {
                print("No tenants in \(tenants.path). Add one with `scimgit tenant add NAME --root \(root.root)`.")
                return
            }
            var rows: [[String]] = [["NAME", "USERS", "GROUPS", "LAST WRITE"]]
            for name in names {
                let path = tenants.storePath(name)
                do {
                    let store = try GitStore.open(at: path, options: GitStoreOptions(readOnly: true, logger: CLILogging.logger))
                    let summary = try TenantSummary(store: store)
                    rows.append([name, String(summary.users), String(summary.groups), summary.lastWrite.map(TimeFormat.show) ?? "-"])
                } catch {
                    rows.append([name, "?", "?", "cannot be read: \(error)"])
                }
            }
            let widths = (0..<3).map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                Console.say((0..<3).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") + "  " + row[3])
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a tenant offline and move its store aside (its history is kept).",
            discussion: """
            A running server stops serving the tenant within a second and answers its requests \
            as for an unknown tenant; the store then moves to ROOT/.removed/NAME-TIME, history \
            and all. Nothing is deleted: to erase the tenant for good, delete that folder.
            """
        )

        @Argument(help: "The tenant to remove.") var name: String
        @OptionGroup var root: TenantRootOptions
        @Option(help: "Seconds to wait for a running server to let the tenant go.") var wait = 30.0

        func run() throws {
            do {
                try TenantName.validate(name)
            } catch {
                throw CLIError("cannot remove tenant: \(error)")
            }
            let tenants = try TenantRoot(path: root.path)
            guard tenants.holdsStore(name) else { throw CLIError("no tenant named \(name) in \(tenants.path)") }
            let path = tenants.storePath(name)
            let metadata = MetadataPaths(storeRoot: path)
            do {
                try AtomicFile.write(Array("going offline: scimgit tenant remove (pid \(getpid()))\n".utf8), to: metadata.offlineMarker)
                // The owner of the working tree (a server) lets go once it has seen the record.
                let owner = try FileLock(path: metadata.ownerLock, betweenThreads: false)
                do {
                    try owner.acquire(timeout: .milliseconds(Int(wait * 1000)))
                } catch {
                    AtomicFile.remove(metadata.offlineMarker)
                    throw CLIError("the server did not let \(name) go within \(Int(wait)) s; nothing was changed")
                }
                defer { owner.release() }
                let removed = try tenants.folder.makeSubfolder(TenantRoot.removedFolder, mode: 0o700)
                let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
                let aside = "\(name)-\(stamp)"
                try tenants.folder.rename(name, to: removed, as: aside)
                AtomicFile.remove(MetadataPaths(storeRoot: removed.absolute(aside)).offlineMarker)
                print("Removed tenant \(name): its store, history and all, is now \(removed.absolute(aside))")
                print("To erase it for good: rm -rf \(removed.absolute(aside))")
            } catch let error as CLIError {
                throw error
            } catch {
                throw CLIError("cannot remove tenant \(name): \(error)")
            }
        }
    }
}

/// `--root ROOT`, shared by the tenant commands.
struct TenantRootOptions: ParsableArguments {
    @Option(help: "The folder holding one store per tenant (what `scimgit serve --tenants` serves).")
    var root: String

    var path: String { URL(fileURLWithPath: root).standardizedFileURL.path }
}

/// What `tenant list` shows of a store.
struct TenantSummary {
    var users: Int
    var groups: Int
    var lastWrite: Date?

    init(store: GitStore) throws {
        guard let head = store.head else {
            users = 0
            groups = 0
            return
        }
        let counts = try Snapshots(store: store).counts(at: head)
        users = counts.users
        groups = counts.groups
        lastWrite = try store.commitInfo(head).time
    }
}
