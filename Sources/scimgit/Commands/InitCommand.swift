import ArgumentParser
import Directory
import Foundation

/// `scimgit init DIR`: create an empty store.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty store (a git repository with branch main).",
        discussion: """
        Creates DIR (and its parents) as a git repository whose first commit holds a README.md \
        explaining the layout: Users/ab/cd/<id>.json for users, Groups/ab/cd/<id>/group.json and \
        .../members/ for groups. `scimgit serve` creates the store itself when it is missing, so \
        this is only needed to prepare one ahead.
        """
    )

    @Argument(help: "The folder to create the store in.")
    var directory: String

    func run() throws {
        let path = URL(fileURLWithPath: directory).standardizedFileURL.path
        do {
            let store = try StoreSetup.create(at: path)
            try store.close()
        } catch let error as StoreSetup.AlreadyExists {
            throw CLIError(error.description)
        }
        print("Initialized an empty scimgit store in \(path)")
    }
}
