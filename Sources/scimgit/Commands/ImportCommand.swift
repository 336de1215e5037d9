import ArgumentParser
import Directory
import Foundation
import GitStore

/// `scimgit import FILE`: an existing directory loaded as one commit.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load users and groups from a file into the store, as one commit.",
        discussion: """
        FILE holds SCIM resources, one JSON object per line, or one ListResponse (what \
        GET /Users answers); "-" reads standard input. Each record is checked as a POST is: \
        its schemas, userName and other unique values (against the store and the file), and \
        group members, which must be users or groups of the store or of the file. If any \
        record is refused, nothing is imported and every refused record is named by its line.

        An "id" that is a UUID is kept; any other id (an IdP's own) gets a new UUID, members \
        naming it are translated, and --id-map writes which became which. meta.created is \
        kept; lastModified is the time of the import. Passwords are dropped, as over the API.

        Safe while the server runs: the import takes the store's writer lock only to commit, \
        and the server takes in the new commit as it does after a rollback. Undo it with \
        `scimgit rollback --to HEAD~1` (or `revert` of its commit).
        """
    )

    @OptionGroup var store: StoreOptions
    @Argument(help: "The file to import (\"-\" for standard input).") var file: String
    @Flag(help: "Check every record, commit nothing.") var dryRun = false
    @Option(help: "Write \"source id,new id\" lines here for every id that was not a UUID.") var idMap: String?

    func run() throws {
        // The store first: a mistyped --repo is named before a large file is read and parsed.
        let gitStore = dryRun ? try store.openForReading() : try store.openForWriting(command: "import")
        defer { try? gitStore.close() }
        let bytes = try readInput()
        let records: [ImportRecord]
        do {
            records = try ImportRecord.read(bytes)
        } catch {
            throw CLIError("nothing was imported: \(file) is not one JSON resource per line nor a ListResponse:\n\(error)")
        }
        let started = ContinuousClock.now
        let summary: StoreImport.Summary
        do {
            summary = try StoreImport(store: gitStore, logger: CLILogging.logger)
                .run(records, source: file == "-" ? "standard input" : URL(fileURLWithPath: file).lastPathComponent, by: CLIIdentity(), dryRun: dryRun)
        } catch let failure as ImportFailure {
            throw CLIError("nothing was imported: \(failure.problems.count) of \(records.count) records refused\n\(failure)")
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
        let what = "\(count(summary.users, "user")) and \(count(summary.groups, "group")) (\(count(summary.memberships, "membership")))"
        if dryRun {
            print("All \(records.count) records can be imported: \(what). Nothing was committed (--dry-run).")
        } else if let commit = summary.commit {
            let rate = records.count >= 1000 && seconds > 0 ? " (\(Int(Double(records.count) / seconds)) records/s)" : ""
            print("Imported \(what) as commit \(commit.short) in \(String(format: "%.1f", seconds)) s\(rate).")
        } else {
            print("The file holds no records: nothing to import.")
        }
        if dryRun {
            if !summary.reassigned.isEmpty { print("\(summary.reassigned.count) ids are not UUIDs and would be given new ones.") }
        } else {
            try report(summary.reassigned)
        }
    }

    private func readInput() throws -> [UInt8] {
        if file == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
        return Array(data)
    }

    /// Ids given new UUIDs: all of them to --id-map, else the first few on the terminal.
    private func report(_ reassigned: [(source: String, id: String)]) throws {
        guard !reassigned.isEmpty else { return }
        if let idMap {
            let lines = reassigned.map { "\($0.source),\($0.id)\n" }.joined()
            guard FileManager.default.createFile(atPath: idMap, contents: Data(lines.utf8)) else { throw CLIError("cannot write \(idMap)") }
            print("\(reassigned.count) ids were not UUIDs and were given new ones: \(idMap) lists them.")
        } else {
            print("\(reassigned.count) ids were not UUIDs and were given new ones\(reassigned.count > 10 ? " (the first 10; --id-map writes all)" : ""):")
            for entry in reassigned.prefix(10) { print("  \(entry.source) → \(entry.id)") }
        }
    }
}
