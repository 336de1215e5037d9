import SCIM
import SCIMService

/// Turns a stored document into what the API answers: `meta.location` and `meta.version`
/// added, `User.groups` and `Group.members` derived from the membership index (with
/// `display` names and `$ref` links), the projection applied.
struct ResourceRenderer {
    let index: DirectoryIndex

    func render(
        _ stored: StoredDocument, type: ResourceType, id: String, projection: Projection,
        baseURL: String, includeMembers: Bool? = nil
    ) -> ResourceRecord {
        var document = stored.document
        let version = stored.version
        var meta = document["meta"]?.objectValue ?? [:]
        meta["resourceType"] = .string(type.name)
        let location = baseURL + type.endpoint + "/" + id
        meta["location"] = .string(location)
        meta["version"] = .string(version)
        document["meta"] = .object(meta)
        let key = stored.kind.derivedAttribute
        let wanted = projection.isDefault || projection.includes(key, as: type)
        // `includeMembers` (a PATCH answer on a large group) decides for members only.
        let include = stored.kind.holdsMembers ? includeMembers ?? wanted : wanted
        if include, let list = derived(stored.kind, id: id, baseURL: baseURL) {
            document[key] = .array(list)
        }
        // Stored writeOnly, `returned: never` and `request` values are projected out even by default.
        let output = projection.isIdentity(for: type) ? JSONValue.object(document) : projection.apply(to: .object(document), as: type)
        return ResourceRecord(type: type, id: id, version: version, location: location, document: output)
    }

    /// The same answer for the default projection, built from the file's bytes without a
    /// parse (`JSONCompactor`): the members added to `meta` and the derived list spliced
    /// in. Nil when the bytes need the parsing path (not ours, or edited by hand).
    func render(
        bytes: [UInt8], kind: ResourceKind, type: ResourceType, id: String, baseURL: String, includeMembers: Bool? = nil,
        version known: String? = nil
    ) -> ResourceRecord? {
        let version = known ?? ResourceVersion.of(bytes)
        var spliced: [(key: String, value: [UInt8])] = []
        let include = kind.holdsMembers ? includeMembers ?? true : true
        if include, let list = derived(kind, id: id, baseURL: baseURL) {
            spliced.append((kind.derivedAttribute, JSONValue.array(list).serialized(.compact)))
        }
        let location = baseURL + type.endpoint + "/" + id
        guard let body = JSONCompactor.compact(
            bytes, nestedIn: "meta",
            nested: [
                ("location", JSONValue.string(location).serialized(.compact)),
                ("version", JSONValue.string(version).serialized(.compact)),
            ],
            topLevel: spliced,
            expectedNested: [("resourceType", JSONValue.string(type.name).serialized(.compact))])
        else { return nil }
        return ResourceRecord(type: type, id: id, version: version, location: location, body: body)
    }

    /// The attribute derived from the membership index (`kind.derivedAttribute`): a group's
    /// members, or the groups anything else is in. Nil when empty (then left out).
    private func derived(_ kind: ResourceKind, id: String, baseURL: String) -> [JSONValue]? {
        let list = kind.holdsMembers ? members(of: id, baseURL: baseURL) : groups(of: id, baseURL: baseURL)
        return list.isEmpty ? nil : list
    }

    /// `User.groups`: the groups the user is a direct member of, by id.
    private func groups(of id: String, baseURL: String) -> [JSONValue] {
        let groups = index.read { state in
            (state.memberOf[id].map(Array.init) ?? []).compactMap { group -> (String, String)? in
                guard let summary = state.summary(group) else { return nil }
                return (group, summary.name)
            }
        }
        return groups.sorted { $0.0 < $1.0 }.map { group, name in
            .object([
                "value": .string(group), "display": .string(name),
                "$ref": .string(baseURL + ResourceKind.group.endpoint + "/" + group), "type": .string("direct"),
            ])
        }
    }

    /// `Group.members`, by id, with their display names.
    private func members(of id: String, baseURL: String) -> [JSONValue] {
        let members = index.read { state in
            let displays = state.memberDisplays[id] ?? [:]
            return (state.members[id] ?? [:]).map { member, kind in
                let name = state.summary(member)?.name
                return (member, kind, displays[member]?.shown(forMemberNamed: name) ?? name)
            }
        }
        return members.sorted { $0.0 < $1.0 }.map { member, kind, name in
            var entry: [String: JSONValue] = [
                "value": .string(member), "type": .string(kind.typeID),
                "$ref": .string(baseURL + kind.endpoint + "/" + member),
            ]
            if let name { entry["display"] = .string(name) }
            return .object(entry)
        }
    }
}
