import GitStore
import SCIM

/// `scimgit schema add|remove`: a change to the store's schemas is one commit under
/// `Schemas/`, with a subject in words, reviewed and undone like a provisioning change. A
/// running server takes it in as it takes any moved HEAD.
public struct SchemaEditor {
    let store: GitStore
    let base: SchemaRegistry

    public init(store: GitStore, base: SchemaRegistry = .standard) {
        self.store = store
        self.base = base
    }

    /// A planned change: the files it writes and what it says.
    public struct Plan: Sendable {
        /// HEAD when planned; committing fails if it moved since.
        public var base: ObjectID?
        public var changes: [String: FileChange]
        public var subject: String
        public var lines: [String]
        public var urns: [String]
        public var isEmpty: Bool { changes.isEmpty }
    }

    /// The store's schemas at HEAD.
    public func current() throws -> StoreSchemas.Loaded {
        try StoreSchemas.load(from: store, at: store.head, base: base)
    }

    /// Declares (or redeclares) the schemas of `declarations`. Refused, with the reason,
    /// when one is not valid beside the others (a clash, an unknown resource type, a bad
    /// attribute): then nothing is written.
    public func planAdd(_ declarations: [SchemaDeclaration]) throws -> Plan {
        let head = store.head
        let loaded = try current()
        var files: [(path: String, bytes: [UInt8]?)] = []
        var changes: [String: FileChange] = [:]
        var newPaths: Set<String> = []
        var verbs: [String] = []
        var lines: [String] = []
        for declaration in declarations {
            guard let type = base.resourceType(id: declaration.resourceType) else {
                throw SCIMError.invalidValue("there is no resource type \"\(DisplayText.escaped(declaration.resourceType, limit: 60))\" (User or Group)")
            }
            var declaration = declaration
            declaration.resourceType = type.id
            let path = try StoreSchemas.path(of: declaration.schema.id)
            guard !newPaths.contains(path) else { throw SCIMError.invalidValue("schema \(declaration.schema.id) is given twice") }
            newPaths.insert(path)
            let previous = loaded.declarations.first { $0.declaration.schema.id.lowercased() == declaration.schema.id.lowercased() }
            if let previous, previous.path != path { changes[previous.path] = .delete }
            if let previous, previous.declaration.bytes == declaration.bytes { continue }
            changes[path] = .write(declaration.bytes)
            verbs.append(previous == nil
                ? "Add schema \(SchemaEditor.label(declaration.schema)) to \(type.id)"
                : "Change schema \(SchemaEditor.label(declaration.schema)) of \(type.id)")
            lines.append(contentsOf: SchemaEditor.describe(declaration, before: previous?.declaration))
        }
        // The whole folder as it would be, loaded as the server will load it.
        for file in try head.map({ try store.files(at: $0, under: StoreSchemas.folder) }) ?? [] where changes[file.path] == nil {
            files.append((file.path, file.kind == .file ? try store.readBlob(file.blob) : nil))
        }
        for (path, change) in changes { if case let .write(bytes) = change { files.append((path, bytes)) } }
        let after = StoreSchemas.load(files: files, base: base)
        if let problem = after.problems.first(where: { newPaths.contains($0.path) }) {
            throw SCIMError.invalidValue(problem.detail)
        }
        let subject = verbs.count <= 1 ? (verbs.first ?? "") : "Add or change \(verbs.count) schemas: " + declarations.map { SchemaEditor.label($0.schema) }.joined(separator: ", ")
        return Plan(base: head, changes: changes, subject: subject, lines: lines, urns: declarations.map(\.schema.id))
    }

    /// Stops declaring `urn`. Refused while resources still carry it, unless `force`
    /// (their values then stay, served as an undeclared extension). A file under
    /// `Schemas/` that does not load (a broken hand edit) can be removed by its URN too.
    public func planRemove(_ urn: String, force: Bool) throws -> Plan {
        let head = store.head
        let loaded = try current()
        let path: String
        let subject: String
        if let found = loaded.declarations.first(where: { $0.declaration.schema.id.lowercased() == urn.lowercased() }) {
            path = found.path
            let declaration = found.declaration
            if !force, let kind = ResourceKind.named(declaration.resourceType) {
                let users = try carriers(of: declaration.schema.id, kind: kind)
                if users > 0 {
                    throw SCIMError.invalidValue(
                        "\(users) \(kind.noun)\(users == 1 ? "" : "s") still carry \(declaration.schema.id): remove its attributes from them first, or pass --force to stop declaring it (their values stay, as an undeclared extension)")
                }
            }
            subject = "Remove schema \(SchemaEditor.label(declaration.schema)) from \(declaration.resourceType)"
        } else if let broken = loaded.problems.first(where: { $0.path.lowercased() == (try? StoreSchemas.path(of: urn))?.lowercased() }) {
            path = broken.path
            subject = "Remove the invalid schema file \(CommitMessage.quote(broken.path, limit: 220))"
        } else {
            throw GitStoreError.notFound("the store declares no schema \(DisplayText.escaped(urn, limit: 120)) (see scimgit schema list)")
        }
        return Plan(base: head, changes: [path: .delete], subject: subject, lines: [], urns: [urn])
    }

    /// Commits a plan as `identity`. Nil when it changes nothing.
    public func apply(_ plan: Plan, by identity: CLIIdentity) throws -> ObjectID? {
        guard !plan.isEmpty else { return nil }
        var message = CommitMessage(
            subject: plan.subject,
            trailers: [(CommitMessage.operationKey, "SCHEMA")] + plan.urns.map { ("SCIM-Schema", $0) } + [(CommitMessage.clientKey, identity.client)])
        message.addLines(plan.lines)
        return try store.write { session in
            guard session.head == plan.base else {
                throw GitStoreError.concurrentUpdate("the store changed since the schema change was planned; run it again")
            }
            return try session.commit([CommitSpec(changes: plan.changes, message: message.text, author: identity.signature)]).first ?? nil
        }
    }

    /// How many resources of `kind` hold a value under `urn` at HEAD. Files are only
    /// parsed when their bytes mention the URN.
    public func carriers(of urn: String, kind: ResourceKind) throws -> Int {
        guard let head = store.head else { return 0 }
        let needle = Array(urn.lowercased().utf8)
        var count = 0
        for file in try store.files(at: head, under: kind.folder) where file.kind == .file {
            guard case .resource(kind, _)? = StoreLayout.entry(at: file.path) else { continue }
            let bytes = try store.readBlob(file.blob)
            guard SchemaEditor.contains(bytes, lowercased: needle),
                  case let .object(object)? = try? JSONValue.parse(bytes) else { continue }
            if object.contains(where: { $0.key.lowercased() == urn.lowercased() && !$0.value.isUnassigned }) { count += 1 }
        }
        return count
    }

    // MARK: - Words

    /// `CustomExtension (urn:…:CustomExtension:2.0:User)`, or the URN alone without a name.
    static func label(_ schema: Schema) -> String {
        let name = CommitMessage.quote(schema.name, limit: 60)
        return name.isEmpty ? schema.id : "\(name) (\(schema.id))"
    }

    /// One line per attribute: `+ costCenter: string`, `- oldCode`, `~ division: string → string, multi-valued`.
    static func describe(_ declaration: SchemaDeclaration, before: SchemaDeclaration?) -> [String] {
        func summary(_ attribute: AttributeDefinition) -> String {
            var parts = [attribute.type.rawValue]
            if attribute.multiValued { parts.append("multi-valued") }
            if attribute.required { parts.append("required") }
            if attribute.mutability != .readWrite { parts.append(attribute.mutability.rawValue) }
            if attribute.returned != .default { parts.append("returned \(attribute.returned.rawValue)") }
            if attribute.uniqueness != .none { parts.append("unique (\(attribute.uniqueness.rawValue))") }
            if !attribute.canonicalValues.isEmpty { parts.append("one of " + attribute.canonicalValues.joined(separator: ", ")) }
            return parts.joined(separator: ", ")
        }
        var lines: [String] = []
        if let before, before.required != declaration.required {
            lines.append("required: \(before.required) → \(declaration.required)")
        } else if before == nil, declaration.required {
            lines.append("required of every \(declaration.resourceType)")
        }
        let old = Dictionary(before?.schema.attributes.map { ($0.name.lowercased(), $0) } ?? [], uniquingKeysWith: { a, _ in a })
        for attribute in declaration.schema.attributes {
            if let previous = old[attribute.name.lowercased()] {
                if previous != attribute { lines.append("~ \(attribute.name): \(summary(previous)) → \(summary(attribute))") }
            } else {
                lines.append("+ \(attribute.name): \(summary(attribute))")
            }
        }
        let kept = Set(declaration.schema.attributes.map { $0.name.lowercased() })
        for attribute in before?.schema.attributes ?? [] where !kept.contains(attribute.name.lowercased()) {
            lines.append("- \(attribute.name)")
        }
        return lines
    }

    /// Whether `bytes`, lowercased, contain `needle` (already lowercase ASCII).
    static func contains(_ bytes: [UInt8], lowercased needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, bytes.count >= needle.count else { return false }
        let first = needle[0]
        var position = 0
        let last = bytes.count - needle.count
        while position <= last {
            let byte = bytes[position]
            let lower = byte >= 65 && byte <= 90 ? byte + 32 : byte
            if lower == first {
                var matched = true
                for offset in 1..<needle.count {
                    let b = bytes[position + offset]
                    if (b >= 65 && b <= 90 ? b + 32 : b) != needle[offset] { matched = false; break }
                }
                if matched { return true }
            }
            position += 1
        }
        return false
    }
}
