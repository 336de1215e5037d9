import Foundation
import GitStore
import SCIM

/// `scimgit verify`: checks a store an admin may have edited by hand. Every file under
/// `Users/` and `Groups/` must be where the layout puts it, be canonical JSON of its
/// resource type with the id its name says, names must be unique, every membership must
/// point at an existing group and member, every file under `Schemas/` must be a valid
/// schema declaration (resources are checked against them), and `git fsck` must be clean.
public struct StoreVerifier {
    let store: GitStore
    let registry: SchemaRegistry

    public init(store: GitStore, registry: SchemaRegistry = .standard) {
        self.store = store
        self.registry = registry
    }

    public struct Problem: Sendable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    public func verify(runFsck: Bool = true) throws -> [Problem] {
        var problems: [Problem] = []
        guard let head = store.head else { return [] }
        // Resources are checked against the schemas the store declares at HEAD.
        let schemas = try StoreSchemas.load(from: store, at: head, base: registry)
        for problem in schemas.problems {
            problems.append(Problem(path: problem.path, message: "not a valid schema, so the server leaves it out: \(problem.detail)"))
        }
        let registry = schemas.registry
        let validator = ResourceValidator(registry: registry)
        var names: [ResourceKind: [String: String]] = [:]
        var existing: [String: ResourceKind] = [:]
        var memberships: [(path: String, group: String, member: String, blob: ObjectID)] = []
        for folder in StoreLayout.ownedFolders {
            for file in try store.files(at: head, under: folder) {
                if file.kind != .file {
                    let what = file.kind == .link ? "a symbolic link" : "a submodule"
                    problems.append(Problem(path: file.path, message: "is \(what), not a file: scimgit never follows or writes one and serves what it stands for as broken; remove it (git rm) or roll back past the commit that added it"))
                    continue
                }
                guard let entry = StoreLayout.entry(at: file.path) else {
                    problems.append(Problem(path: file.path, message: "not a file scimgit knows (expected \(folder)/ab/cd/<id>…)"))
                    continue
                }
                switch entry {
                case let .resource(kind, id):
                    check(file.path, id: id, kind: kind, type: kind.resourceType(in: registry), blob: file.blob, validator, &problems, &names)
                    existing[id] = kind
                case let .membership(group, member):
                    memberships.append((file.path, group, member, file.blob))
                }
            }
        }
        for membership in memberships {
            if existing[membership.group] != .group {
                problems.append(Problem(path: membership.path, message: "membership in group \(membership.group), which does not exist"))
            }
            guard let kind = existing[membership.member] else {
                problems.append(Problem(path: membership.path, message: "member \(membership.member) is not an existing user or group"))
                continue
            }
            let bytes = (try? store.readBlob(membership.blob)) ?? []
            let display = MemberDisplay.read(bytes)
            let expected = WritePlanner.membershipFile(.init(id: membership.member, kind: kind, display: display))
            if bytes != expected {
                problems.append(Problem(path: membership.path, message: "should contain \(String(decoding: expected, as: UTF8.self).split(separator: "\n").joined(separator: " "))"))
            }
        }
        if runFsck { problems += fsck() }
        return problems.sorted { ($0.path, $0.message) < ($1.path, $1.message) }
    }

    private func check(
        _ path: String, id: String, kind: ResourceKind, type: ResourceType, blob: ObjectID, _ validator: ResourceValidator,
        _ problems: inout [Problem], _ names: inout [ResourceKind: [String: String]]
    ) {
        guard let bytes = try? store.readBlob(blob) else {
            problems.append(Problem(path: path, message: "cannot be read"))
            return
        }
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes)
        } catch {
            problems.append(Problem(path: path, message: "not valid JSON: \(error.detail)"))
            return
        }
        guard case let .object(object) = document else {
            problems.append(Problem(path: path, message: "not a JSON object"))
            return
        }
        if document.serialized(.canonical) != bytes {
            problems.append(Problem(path: path, message: "not canonical JSON (keys sorted, two-space indent, trailing newline)"))
        }
        if object["id"]?.stringValue != id {
            problems.append(Problem(path: path, message: "its id is \(object["id"].map { $0.serializedString(.compact) } ?? "missing"), the file name says \(id)"))
        }
        if object["meta"]?["resourceType"]?.stringValue != type.name {
            problems.append(Problem(path: path, message: "meta.resourceType should be \(type.name)"))
        }
        var attributes = object
        attributes["id"] = nil
        attributes["meta"] = nil
        do {
            _ = try validator.validate(.object(attributes), as: type)
        } catch {
            problems.append(Problem(path: path, message: "not a valid \(type.name): \(error.detail)"))
        }
        let key = kind.nameAttribute
        if let name = object[key]?.stringValue {
            if let other = names[kind]?[name.lowercased()] {
                problems.append(Problem(path: path, message: "\(key) \(DisplayText.escaped(name, limit: 200)) is also used by \(other)"))
            } else {
                names[kind, default: [:]][name.lowercased()] = id
            }
        }
    }

    /// `git fsck` on the repository (the git command line: libgit2 has no fsck).
    private func fsck() -> [Problem] {
        store.fsck().map { Problem(path: ".git", message: "git fsck: \($0)") }
    }
}
