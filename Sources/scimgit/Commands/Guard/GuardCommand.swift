import ArgumentParser

/// `scimgit guard status|release|reset`: the deprovisioning guard of a store.
struct GuardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guard",
        abstract: "See and release the deprovisioning guard, which holds a mass deprovisioning before it lands.",
        discussion: """
        `scimgit serve` counts the writes that take access away: users deactivated or \
        deleted, members removed from groups, groups deleted (counted as their members). \
        When, within an hour, they reach 25 and more than 10% of the active users (the \
        default; change it with `serve --guard`, e.g. --guard 5%,100,2h, or turn it off with \
        --guard off), the guard trips: every further deprovisioning write is answered 503 \
        with Retry-After, nothing of it is committed, and the identity provider retries it \
        later. Everything else (creates, updates, reads) goes on.

        It holds, across restarts, until an admin decides: review the sync with `scimgit \
        guard status` and `scimgit diff --sync ID`, then either undo it (`scimgit rollback \
        --sync ID`) or let it through (`scimgit guard release`). Each decision is a commit \
        authored by the admin, so history says who allowed the mass change.
        """,
        subcommands: [GuardStatusCommand.self, GuardReleaseCommand.self, GuardResetCommand.self],
        defaultSubcommand: GuardStatusCommand.self
    )
}
