/// One attribute that differs between two versions of a resource.
public struct AttributeChange: Sendable, Hashable, CustomStringConvertible {
    /// The dotted attribute path: `active`, `name.givenName`, `emails`,
    /// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`.
    public var path: String
    /// The value before (nil: unassigned).
    public var before: JSONValue?
    /// The value after (nil: unassigned).
    public var after: JSONValue?

    public init(path: String, before: JSONValue?, after: JSONValue?) {
        self.path = path
        self.before = before
        self.after = after
    }

    public var description: String {
        "\(path): \(before?.description ?? "∅") → \(after?.description ?? "∅")"
    }
}

/// Computes which attributes differ between two versions of a resource.
///
/// Used for PATCH outcomes, PUT commit messages and history diffs between two commits, so
/// that all three name changes the same way. Granularity: a complex single-valued
/// attribute present on both sides is compared per sub-attribute (`name.givenName`); one
/// that appears or disappears as a whole is one change (`…:manager`); multi-valued
/// attributes are compared as a whole (`emails`). `meta` and `schemas` are not reported
/// (they follow from other changes). Order: common attributes, then the core schema's
/// attributes, then each extension's, in schema order; then attributes no schema
/// defines, sorted.
public enum AttributeDiff {
    public static func changes(from before: JSONValue?, to after: JSONValue?, as type: ResourceType) -> [AttributeChange] {
        let old = before?.objectValue ?? [:]
        let new = after?.objectValue ?? [:]
        var changes: [AttributeChange] = []
        var handled: Set<String> = ["meta", "schemas"]

        for definition in [CommonAttributes.id, CommonAttributes.externalId] + type.schema.attributes {
            handled.insert(ASCII.lowercased(definition.name))
            compare(definition, old.value(forAttribute: definition.name), new.value(forAttribute: definition.name), prefix: "", into: &changes)
        }
        for ext in type.extensions {
            let urn = ext.schema.id
            handled.insert(ASCII.lowercased(urn))
            let oldMembers = old.value(forAttribute: urn)?.objectValue ?? [:]
            let newMembers = new.value(forAttribute: urn)?.objectValue ?? [:]
            var known: Set<String> = []
            for definition in ext.schema.attributes {
                known.insert(ASCII.lowercased(definition.name))
                compare(definition, oldMembers.value(forAttribute: definition.name), newMembers.value(forAttribute: definition.name), prefix: urn + ":", into: &changes)
            }
            compareRest(oldMembers, newMembers, skipping: known, prefix: urn + ":", into: &changes)
        }
        var rest: Set<String> = []
        for key in Array(old.keys) + Array(new.keys) where !handled.contains(ASCII.lowercased(key)) { rest.insert(key) }
        for key in rest.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let a = old.value(forAttribute: key), b = new.value(forAttribute: key)
            if key.utf8.contains(UInt8(ascii: ":")), case .object(let oa)? = a, case .object(let ob)? = b {
                compareRest(oa, ob, skipping: [], prefix: key + ":", into: &changes)
            } else if a != b {
                changes.append(AttributeChange(path: key, before: a, after: b))
            }
        }
        return deduplicated(changes)
    }

    private static func compare(_ definition: AttributeDefinition, _ a: JSONValue?, _ b: JSONValue?, prefix: String, into changes: inout [AttributeChange]) {
        guard a != b else { return }
        if definition.type == .complex, !definition.multiValued, case .object(let oa)? = a, case .object(let ob)? = b {
            var known: Set<String> = []
            for sub in definition.subAttributes {
                known.insert(ASCII.lowercased(sub.name))
                let va = oa.value(forAttribute: sub.name), vb = ob.value(forAttribute: sub.name)
                if va != vb { changes.append(AttributeChange(path: prefix + definition.name + "." + sub.name, before: va, after: vb)) }
            }
            compareRest(oa, ob, skipping: known, prefix: prefix + definition.name + ".", into: &changes)
            return
        }
        changes.append(AttributeChange(path: prefix + definition.name, before: a, after: b))
    }

    /// Members of two objects that no definition covers, compared whole, sorted by key.
    private static func compareRest(_ a: [String: JSONValue], _ b: [String: JSONValue], skipping known: Set<String>, prefix: String, into changes: inout [AttributeChange]) {
        var keys: Set<String> = []
        for key in Array(a.keys) + Array(b.keys) where !known.contains(ASCII.lowercased(key)) { keys.insert(key) }
        for key in keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let va = a.value(forAttribute: key), vb = b.value(forAttribute: key)
            if va != vb { changes.append(AttributeChange(path: prefix + key, before: va, after: vb)) }
        }
    }

    /// Keys differing only in case would be reported twice; keep the first.
    private static func deduplicated(_ changes: [AttributeChange]) -> [AttributeChange] {
        var seen: Set<String> = []
        return changes.filter { seen.insert(ASCII.lowercased($0.path)).inserted }
    }
}
