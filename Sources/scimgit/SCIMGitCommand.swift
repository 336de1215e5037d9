import ArgumentParser

/// The `scimgit` command: a SCIM 2.0 server whose database is a git repository, and the
/// tools to read and undo its history.
@main
struct SCIMGitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scimgit",
        abstract: "A SCIM 2.0 server whose database is a git repository.",
        discussion: """
        Okta, Entra ID and other identity providers provision users and groups into scimgit over \
        SCIM 2.0. Every user and group is a JSON file in a git working tree and every successful \
        write is one commit, so provisioning can be reviewed with git, diffed between two points \
        in time, and rolled back while the server runs.

        Start with `scimgit serve --repo DIR`; every command has --help.
        """,
        version: Version.current,
        subcommands: [
            InitCommand.self, ServeCommand.self, ImportCommand.self, TenantCommand.self, TokenCommand.self, LogCommand.self, DiffCommand.self, SnapshotCommand.self,
            SyncsCommand.self, GuardCommand.self, RollbackCommand.self, RevertCommand.self, VerifyCommand.self, SchemaCommand.self, PromoteCommand.self,
        ]
    )
}
