import ArgumentParser
import Directory
import Foundation
import GitStore
import SCIM

/// `scimgit schema add|list|remove`: the custom attributes a store declares.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Declare, list and remove custom schema extensions (custom attributes).",
        discussion: """
        Okta sends an app-profile attribute under its external namespace, Entra as \
        urn:ietf:params:scim:schemas:extension:<Name>:2.0:User:<attribute>. Declare that \
        namespace as a schema extension and scimgit lists it in /Schemas (so Okta's \
        "Refresh Application Data" offers its attributes for mapping), checks every value \
        against it, and lets filters, sorting, attributes= and PATCH paths use it.

        A schema is an RFC 7643 section 7 document (id, name, attributes with their \
        characteristics). It is kept in the store as Schemas/<urn>.json: each change is a \
        commit, shown by `scimgit log`, undone by `scimgit revert` or a rollback. A running \
        server takes it in within a second, without a restart.
        """,
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Declare the schema(s) in FILE as an extension of User or Group (one commit).",
            discussion: """
            FILE holds one schema object, an array of them, or a ListResponse (another \
            server's /Schemas answer). Adding a schema the store already declares replaces \
            it. Refused, with nothing committed, when FILE is not a valid schema or clashes \
            with one the server already has.
            """
        )

        @Argument(help: "The schema document (JSON).", completion: .file()) var file: String
        @Option(help: "The resource type the schema extends: User or Group.") var resource: String
        @Flag(help: "Every resource of that type must carry the extension.") var required = false
        @Flag(help: "Print what would change, change nothing.") var dryRun = false
        @OptionGroup var store: StoreOptions

        func run() throws {
            let bytes: [UInt8]
            do {
                bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
            } catch {
                throw CLIError("cannot read \(file): \(error.localizedDescription)")
            }
            let gitStore = dryRun ? try store.openForReading() : try store.openForWriting(command: "schema add")
            defer { try? gitStore.close() }
            let editor = SchemaEditor(store: gitStore)
            let plan: SchemaEditor.Plan
            do {
                let declarations = try SchemaDeclaration.documents(in: bytes, resourceType: resource, required: required)
                plan = try editor.planAdd(declarations)
            } catch let error as SCIMError {
                throw CLIError("\(file) is not added: \(error.detail)")
            }
            try SchemaCommand.commit(plan, editor: editor, store: gitStore, dryRun: dryRun, unchanged: "The store already declares \(plan.urns.joined(separator: ", ")) exactly so: nothing to do.")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the store's schema extensions, and files under Schemas/ that are not valid."
        )

        @Flag(help: "Print JSON: the RFC 7643 schema documents with their resourceType and required.") var json = false
        @OptionGroup var store: StoreOptions

        func run() throws {
            let gitStore = try store.openForReading()
            defer { try? gitStore.close() }
            let loaded = try SchemaEditor(store: gitStore).current()
            if json {
                let documents = loaded.declarations.map { (try? JSONValue.parse($0.declaration.bytes)) ?? .null }
                let problems = loaded.problems.map { JSONValue.object(["path": .string($0.path), "problem": .string($0.detail)]) }
                print(JSONValue.object(["schemas": .array(documents), "problems": .array(problems)]).serializedString(.canonical), terminator: "")
                return
            }
            if loaded.declarations.isEmpty && loaded.problems.isEmpty {
                print("No schema extensions beyond the built-in ones. Declare one with `scimgit schema add FILE --resource User`.")
                return
            }
            for (_, declaration) in loaded.declarations {
                let schema = declaration.schema
                let name = schema.name.isEmpty ? "" : " (\(DisplayText.escaped(schema.name, limit: 60)))"
                Console.say("\(schema.id)\(name)")
                Console.say("  extends \(declaration.resourceType)\(declaration.required ? ", required" : ""); \(schema.attributes.count) attribute\(schema.attributes.count == 1 ? "" : "s"): "
                    + schema.attributes.map { "\($0.name) (\($0.type.rawValue)\($0.multiValued ? ", multi-valued" : ""))" }.joined(separator: ", "))
            }
            for problem in loaded.problems {
                Console.say("! \(problem.path): \(problem.detail)")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop declaring a schema extension (one commit).",
            discussion: """
            Refused while users or groups still carry the extension, unless --force: then \
            their values stay as they are, served as an undeclared extension (and refused \
            by a server started with --strict-schemas). Nothing is ever deleted from a \
            resource by this command.
            """
        )

        @Argument(help: "The schema's URN (its id).") var urn: String
        @Flag(help: "Remove it even though resources still carry it.") var force = false
        @Flag(help: "Print what would change, change nothing.") var dryRun = false
        @OptionGroup var store: StoreOptions

        func run() throws {
            let gitStore = dryRun ? try store.openForReading() : try store.openForWriting(command: "schema remove")
            defer { try? gitStore.close() }
            let editor = SchemaEditor(store: gitStore)
            let plan: SchemaEditor.Plan
            do {
                plan = try editor.planRemove(urn, force: force)
            } catch let error as SCIMError {
                throw CLIError("\(urn) is not removed: \(error.detail)")
            } catch let error as GitStoreError {
                throw CLIError("\(error)")
            }
            try SchemaCommand.commit(plan, editor: editor, store: gitStore, dryRun: dryRun, unchanged: "Nothing to do.")
        }
    }

    /// Prints the plan, commits it (unless a dry run) and waits for a running server.
    static func commit(_ plan: SchemaEditor.Plan, editor: SchemaEditor, store: GitStore, dryRun: Bool, unchanged: String) throws {
        guard !plan.isEmpty else { Console.say(unchanged); return }
        Console.say(plan.subject)
        for line in plan.lines { Console.say("  " + line) }
        if dryRun { Console.say("\n(dry run: nothing changed)"); return }
        do {
            if let commit = try editor.apply(plan, by: CLIIdentity()) {
                Console.say("\nCommitted \(commit.short): \(plan.subject)")
                WorkingTreeWait.report(store)
            }
        } catch let error as GitStoreError {
            throw CLIError("\(error)")
        }
    }
}
