import ArgumentParser
import Directory
import Foundation
import GitStore

/// `scimgit snapshot`: named points in history (annotated git tags).
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Create, list and delete snapshots (annotated git tags).",
        discussion: "Snapshots are plain git tags: `git tag`, `git diff NAME HEAD` and any git UI see them.",
        subcommands: [Create.self, List.self, Delete.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Tag the current state as NAME.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The snapshot's name (a valid git tag name, e.g. before-sync).") var name: String
        @Option(name: .short, help: "A message saying why.") var message: String?

        func run() throws {
            let gitStore = try store.openForWriting(command: "snapshot")
            defer { try? gitStore.close() }
            do {
                let snapshot = try Snapshots(store: gitStore).create(name, message: message, by: CLIIdentity())
                Console.say("Created snapshot \(snapshot.name) at \(snapshot.commit.short): \(snapshot.users) user\(snapshot.users == 1 ? "" : "s"), \(snapshot.groups) group\(snapshot.groups == 1 ? "" : "s")")
            } catch let error as GitStoreError {
                throw CLIError("\(error)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List snapshots: name, time, commit, users, groups, message.")
        @OptionGroup var store: StoreOptions

        func run() throws {
            let snapshots = try Snapshots(store: try store.openForReading()).list()
            if snapshots.isEmpty { Console.say("no snapshots"); return }
            let width = snapshots.map(\.name.count).max() ?? 0
            for snapshot in snapshots {
                let time = snapshot.time.map(TimeFormat.show) ?? "-"
                let name = snapshot.name.padding(toLength: width, withPad: " ", startingAt: 0)
                let firstLine = snapshot.message.split(separator: "\n").first.map(String.init) ?? ""
                Console.say("\(name)  \(time)  \(snapshot.commit.short)  \(snapshot.users) user\(snapshot.users == 1 ? "" : "s"), \(snapshot.groups) group\(snapshot.groups == 1 ? "" : "s")  \(firstLine)")
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete snapshot NAME (the commits stay in history).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The snapshot to delete.") var name: String

        func run() throws {
            let gitStore = try store.openForWriting(command: "snapshot")
            defer { try? gitStore.close() }
            do {
                try Snapshots(store: gitStore).delete(name)
            } catch GitStoreError.notFound {
                throw CLIError("no snapshot named \(name)")
            }
            Console.say("Deleted snapshot \(name)")
        }
    }
}
