import ArgumentParser
import Foundation

/// Asks before a command changes the store. Without a terminal to ask on, refuses (exit
/// 2) unless `--yes` was given: a script must say it means it.
enum Confirmation {
    static func confirm(_ question: String, yes: Bool) throws {
        if yes { return }
        guard isatty(STDIN_FILENO) == 1 else {
            FileHandle.standardError.write(Data("refusing to change the store without confirmation: pass --yes\n".utf8))
            throw ExitCode(2)
        }
        print("\(question) [y/N] ", terminator: "")
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard answer == "y" || answer == "yes" else {
            print("nothing changed")
            throw ExitCode(2)
        }
    }
}
