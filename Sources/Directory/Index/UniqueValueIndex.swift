import SCIM

/// Who holds each value of the extension attributes a schema declares unique
/// (`uniqueness: server` or `global`), so a write is checked against every other resource
/// without reading their files, as userName is.
///
/// Kept by the writer, not by the read indexes: only writes ask. A kind's values are read
/// from every resource file on the first write of that kind that needs them (the server
/// starts without that cost when no schema declares a unique attribute), then kept up to
/// date by each committed batch; when HEAD moves under the server or the schemas change,
/// everything is read again on the next such write. Writer thread only.
final class UniqueValueIndex: @unchecked Sendable {
    typealias Attribute = UniqueAttribute

    private struct Values {
        var attributes: [Attribute]
        /// attribute path + NUL + value key → the id holding it.
        var holders: [String: String] = [:]
        /// id → its keys (to take them out when it changes).
        var keys: [String: [String]] = [:]
    }

    private var kinds: [ResourceKind: Values] = [:]

    /// The unique attributes `type` declares, but the kind's name (userName, a group's
    /// displayName), which has an index of its own.
    static func attributes(of type: ResourceType, kind: ResourceKind) -> [Attribute] {
        type.uniqueAttributes.filter { !($0.path.schema == nil && $0.path.subAttribute == nil && $0.path.attribute == kind.nameAttribute) }
    }

    /// The keys of one document's unique values, each prefixed by its attribute's path.
    static func keys(of document: [String: JSONValue], _ attributes: [Attribute]) -> [String] {
        var keys: [String] = []
        let resource = JSONValue.object(document)
        for attribute in attributes {
            for key in attribute.keys(in: resource) { keys.append(attribute.dotted + "\u{0}" + key) }
        }
        return keys
    }

    /// Forgets every value (read again when next needed).
    func invalidate() { kinds = [:] }

    /// Throws `409 uniqueness` when another resource — committed, or written earlier in
    /// this batch — holds one of `document`'s unique values. `scanningPending: false` leaves
    /// the batch's own resources to the caller (an import of a million keeps their values
    /// in a table, where this scan would be quadratic).
    func check(
        _ document: [String: JSONValue], id: String, kind: ResourceKind, type: ResourceType, view: WriteView, scanningPending: Bool = true
    ) throws(SCIMError) {
        let attributes = UniqueValueIndex.attributes(of: type, kind: kind)
        guard !attributes.isEmpty else { return }
        let wanted = UniqueValueIndex.keys(of: document, attributes)
        guard !wanted.isEmpty else { return }
        let values = try self.values(kind, attributes, view: view)
        for key in wanted {
            for (other, stored) in view.pending.documents where scanningPending && other != id {
                if let stored, stored.kind == kind, UniqueValueIndex.keys(of: stored.document, attributes).contains(key) {
                    throw conflict(key, holder: other, kind: kind)
                }
            }
            if let holder = values.holders[key], holder != id, view.pending.documents.index(forKey: holder) == nil {
                throw conflict(key, holder: holder, kind: kind)
            }
        }
    }

    /// Takes in a committed batch.
    func publish(_ pending: PendingChanges) {
        for (kind, var values) in kinds {
            for (id, stored) in pending.documents {
                for key in values.keys.removeValue(forKey: id) ?? [] where values.holders[key] == id {
                    values.holders[key] = nil
                }
                guard let stored, stored.kind == kind else { continue }
                let keys = UniqueValueIndex.keys(of: stored.document, values.attributes)
                for key in keys where values.holders[key] == nil { values.holders[key] = id }
                if !keys.isEmpty { values.keys[id] = keys }
            }
            kinds[kind] = values
        }
    }

    private func values(_ kind: ResourceKind, _ attributes: [Attribute], view: WriteView) throws(SCIMError) -> Values {
        if let values = kinds[kind], values.attributes == attributes { return values }
        var values = Values(attributes: attributes)
        let ids = view.index.read { $0.order[kind] ?? [] }
        let committed = StoredResources(store: view.store, index: view.index)
        for id in ids {
            // A broken file holds no value (it is reported as broken elsewhere).
            guard let stored = try? committed.read(kind, id) else { continue }
            let keys = UniqueValueIndex.keys(of: stored.document, attributes)
            for key in keys where values.holders[key] == nil { values.holders[key] = id }
            if !keys.isEmpty { values.keys[id] = keys }
        }
        kinds[kind] = values
        return values
    }

    private func conflict(_ key: String, holder: String, kind: ResourceKind) -> SCIMError {
        let parts = key.split(separator: "\u{0}", maxSplits: 1)
        let value = parts.count > 1 ? String(parts[1]) : ""
        return SCIMError.uniqueness("\(parts.first.map(String.init) ?? "the attribute") \"\(DisplayText.escaped(value, limit: 100))\" is already used by \(kind.noun) \(holder)")
    }
}
