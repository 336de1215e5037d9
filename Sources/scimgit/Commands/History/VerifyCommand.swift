import ArgumentParser
import Directory
import Foundation
import GitStore

/// `scimgit verify`: is a hand-edited store still sound?
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a store: file layout, canonical JSON, ids, unique names, memberships, git fsck.",
        discussion: "Prints each problem with its path and exits 1 when there is any; exits 0 when the store is sound."
    )

    @OptionGroup var store: StoreOptions

    func run() throws {
        let gitStore = try store.openForReading()
        let problems = try StoreVerifier(store: gitStore).verify()
        for problem in problems { Console.say(problem.description) }
        if !problems.isEmpty {
            FileHandle.standardError.write(Data("\(problems.count) problem\(problems.count == 1 ? "" : "s") found\n".utf8))
            throw ExitCode(1)
        }
        Console.say("ok: no problems found")
    }
}
