import SCIM

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
        meta["location"] = .string(baseURL + type.endpoint + "/" + id)
        meta["version"] = .string(version)
        document["meta"] = .object(meta)
        switch stored.kind {
        case .user:
            if projection.isDefault || projection.includes("groups", as: type) {
                let groups = index.read { state in
                    (state.memberOf[id].map(Array.init) ?? []).compactMap { group -> (String, String)? in
                        guard let summary = state.summary(group) else { return nil }
                        return (group, summary.name)
                    }
                }
                if !groups.isEmpty {
                    document["groups"] = .array(groups.sorted { $0.0 < $1.0 }.map { group, name in
                        .object([
                            "value": .string(group), "display": .string(name),
                            "$ref": .string(baseURL + "/Groups/" + group), "type": .string("direct"),
                        ])
                    })
                }
            }
        case .group:
            if includeMembers ?? (projection.isDefault || projection.includes("members", as: type)) {
                let members = index.read { state in
                    let displays = state.memberDisplays[id] ?? [:]
                    return (state.members[id] ?? [:]).map { member, kind in (member, kind, displays[member] ?? state.summary(member)?.name) }
                }
                if !members.isEmpty {
                    document["members"] = .array(members.sorted { $0.0 < $1.0 }.map { member, kind, name in
                        var entry: [String: JSONValue] = [
                            "value": .string(member), "type": .string(kind.rawValue),
                            "$ref": .string(baseURL + (kind == .user ? "/Users/" : "/Groups/") + member),
                        ]
                        if let name { entry["display"] = .string(name) }
                        return .object(entry)
                    })
                }
            }
        }
        let output = projection.isDefault ? JSONValue.object(document) : projection.apply(to: .object(document), as: type)
        return ResourceRecord(type: type, id: id, version: version, document: output)
    }
}
