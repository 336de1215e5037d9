import GitStore
import SCIM

/// A schema declaration's change between two states of the store, for `scimgit diff`,
/// the words of a rollback, and review: which schema, added, removed or changed, and its
/// attributes line by line (`+ costCenter: string`).
public struct SchemaChange: Sendable, Hashable {
    public var urn: String
    public var change: ResourceChange.Kind
    /// The resource type it extends (after the change; before it when removed).
    public var resourceType: String
    public var lines: [String]
    /// Set when a side is not a valid declaration (a hand edit).
    public var problem: String?

    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "schema": .string(urn), "change": .string(change.rawValue), "resourceType": .string(resourceType),
            "lines": .array(lines.map(JSONValue.string)),
        ]
        if let problem { object["problem"] = .string(problem) }
        return .object(object)
    }

    /// The schema changes under `Schemas/` between two commits.
    static func changes(in store: GitStore, from old: ObjectID?, to new: ObjectID) throws -> [SchemaChange] {
        var result: [SchemaChange] = []
        for change in try store.diff(from: old, to: new, under: StoreSchemas.folder) {
            func declaration(_ blob: ObjectID?, _ kind: EntryKind?) -> Result<SchemaDeclaration, SCIMError>? {
                guard let blob else { return nil }
                guard (kind ?? .file) == .file else { return .failure(.invalidValue("a link or submodule, not a file")) }
                do {
                    let bytes = try store.readBlob(blob)
                    do throws(SCIMError) { return .success(try SchemaDeclaration(bytes: bytes)) } catch { return .failure(error) }
                } catch {
                    return .failure(.invalidValue("cannot be read"))
                }
            }
            let before = declaration(change.oldBlob, change.oldKind)
            let after = declaration(change.newBlob, change.newKind)
            let fileName = String(change.path.dropFirst(StoreSchemas.folder.count + 1))
            let fallbackURN = fileName.hasSuffix(".json") ? String(fileName.dropLast(5)) : fileName
            let kind: ResourceChange.Kind = before == nil ? .added : after == nil ? .removed : .modified
            var problems: [String] = []
            if case let .failure(error)? = before { problems.append("\(change.path) at \(old?.short ?? "the start") is not a valid schema: \(error.detail)") }
            if case let .failure(error)? = after { problems.append("\(change.path) at \(new.short) is not a valid schema: \(error.detail)") }
            let newDeclaration = try? after?.get()
            let oldDeclaration = try? before?.get()
            let shown = newDeclaration ?? oldDeclaration
            var lines: [String] = []
            if let newDeclaration { lines = SchemaEditor.describe(newDeclaration, before: oldDeclaration) }
            else if let oldDeclaration { lines = oldDeclaration.schema.attributes.map { "- \($0.name)" } }
            result.append(SchemaChange(
                urn: shown?.schema.id ?? fallbackURN, change: kind, resourceType: shown?.resourceType ?? "",
                lines: lines, problem: problems.isEmpty ? nil : problems.joined(separator: "; ")))
        }
        return result.sorted { $0.urn.lowercased() < $1.urn.lowercased() }
    }
}
