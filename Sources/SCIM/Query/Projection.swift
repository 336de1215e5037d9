/// Which attributes a response carries: RFC 7644 §3.4.2.5 `attributes` /
/// `excludedAttributes`, honouring each attribute's `returned` characteristic (§3.9,
/// RFC 7643 §2.2).
///
/// - `returned: always` (`id`, `schemas`) is always there; `never` (`password`) never.
/// - With `attributes`, only the named attributes (plus `always` ones) are returned; a
///   sub-attribute (`name.givenName`, `emails.value`) keeps just that part, a schema URN
///   (`urn:…:enterprise:2.0:User`) keeps that extension's default attributes.
/// - `returned: request` attributes appear only when named in `attributes`.
/// - `excludedAttributes` removes attributes or sub-attributes (never `always` ones).
///   When both are given, `attributes` is applied first, then `excludedAttributes`.
/// - Names are matched case-insensitively, URN-qualified or not. A syntactically invalid
///   name is `400 invalidValue`; a well-formed name no schema defines selects nothing
///   (the RFC defines no error for it, and unknown extension attributes are legal).
public struct Projection: Sendable, Hashable {
    /// The `attributes` list, parsed.
    public private(set) var attributes: [AttributePath]
    /// The `excludedAttributes` list, parsed.
    public private(set) var excludedAttributes: [AttributePath]

    /// Everything with `returned` `always` or `default`.
    public static let `default` = Projection()

    public init() {
        attributes = []
        excludedAttributes = []
    }

    /// From lists of names (the `.search` body form).
    public init(attributes: [String] = [], excludedAttributes: [String] = []) throws(SCIMError) {
        self.attributes = try Projection.parse(attributes, parameter: "attributes")
        self.excludedAttributes = try Projection.parse(excludedAttributes, parameter: "excludedAttributes")
    }

    /// From the comma-separated query parameter form (`attributes=userName,emails.value`).
    public init(attributes: String?, excludedAttributes: String?) throws(SCIMError) {
        try self.init(
            attributes: Projection.split(attributes),
            excludedAttributes: Projection.split(excludedAttributes))
    }

    static func split(_ list: String?) -> [String] {
        guard let list else { return [] }
        return list.split(separator: ",").map { String($0).trimmingWhitespace }.filter { !$0.isEmpty }
    }

    private static func parse(_ names: [String], parameter: String) throws(SCIMError) -> [AttributePath] {
        var paths: [AttributePath] = []
        for raw in names {
            let name = raw.trimmingWhitespace
            if name.isEmpty { continue }
            guard let path = AttributePath.parseNotation(name) else {
                throw .invalidValue("\(parameter): \"\(name)\" is not a valid attribute name")
            }
            paths.append(path)
        }
        return paths
    }

    /// True when nothing is requested or excluded.
    public var isDefault: Bool { attributes.isEmpty && excludedAttributes.isEmpty }

    /// True when applying this projection to a stored resource of `type` returns it
    /// unchanged: the default projection, for a type none of whose attributes is hidden by
    /// default (`ResourceType.hidesStoredAttributes`). Only then may a stored file be
    /// served without parsing it.
    public func isIdentity(for type: ResourceType) -> Bool {
        isDefault && !type.hidesStoredAttributes
    }

    // MARK: Selections

    /// Attributes named by a list, resolved against a type; keys are lowercased.
    private struct Selection {
        /// container ("" for core, lowercased URN) → attribute → nil (whole) or sub-attributes.
        var attributes: [String: [String: Set<String>?]] = [:]
        var wholeExtensions: Set<String> = []

        init(_ paths: [AttributePath], type: ResourceType) {
            for path in paths {
                switch type.resolution(of: path) {
                case .attribute(let resolved):
                    add(container: resolved.extensionURN ?? "", attribute: resolved.path.attribute, sub: resolved.path.subAttribute)
                    if resolved.definition == nil, resolved.path.subAttribute == nil, let schema = path.schema {
                        // `urn:acme:…:User` of an unknown extension parses as attribute "User".
                        wholeExtensions.insert(ASCII.lowercased(schema + ":" + path.attribute))
                    }
                case .wholeExtension(let urn, _):
                    wholeExtensions.insert(ASCII.lowercased(urn))
                case .unknown:
                    continue
                }
            }
        }

        private mutating func add(container: String, attribute: String, sub: String?) {
            let c = ASCII.lowercased(container), a = ASCII.lowercased(attribute)
            var forContainer = attributes[c] ?? [:]
            if let sub {
                if case .some(.some(var subs)) = forContainer[a] {
                    subs.insert(ASCII.lowercased(sub))
                    forContainer[a] = .some(subs)
                } else if forContainer[a] == nil {
                    forContainer[a] = .some([ASCII.lowercased(sub)])
                }
            } else {
                forContainer[a] = .some(nil)
            }
            attributes[c] = forContainer
        }

        /// nil: not named. `.some(nil)`: named whole. `.some(subs)`: only these subs.
        func lookup(container: String, attribute: String) -> Set<String>?? {
            attributes[ASCII.lowercased(container)]?[ASCII.lowercased(attribute)]
        }

        var isEmpty: Bool { attributes.isEmpty && wholeExtensions.isEmpty }
    }

    // MARK: Applying

    /// The resource with only the attributes this projection returns.
    public func apply(to resource: JSONValue, as type: ResourceType) -> JSONValue {
        guard case .object(let object) = resource else { return resource }
        let requested = Selection(attributes, type: type)
        let excluded = Selection(excludedAttributes, type: type)
        var output: [String: JSONValue] = [:]
        for (key, value) in object {
            if ASCII.equalsIgnoringCase(key, "schemas") {
                output[key] = value
                continue
            }
            let extensionSchema = type.extensionSchema(key)
            if extensionSchema != nil || (key.utf8.contains(UInt8(ascii: ":")) && value.objectValue != nil) {
                guard case .object(let members) = value else { continue }
                let container = extensionSchema?.id ?? key
                let wholeRequested = requested.wholeExtensions.contains(ASCII.lowercased(container))
                if excluded.wholeExtensions.contains(ASCII.lowercased(container)) {
                    // Excluding the extension keeps only its `always` attributes.
                    let kept = members.filter { extensionSchema?.attribute(named: $0.key)?.returned == .always }
                    if !kept.isEmpty { output[key] = .object(kept) }
                    continue
                }
                var kept: [String: JSONValue] = [:]
                for (name, item) in members {
                    if let projected = project(name, item, definition: extensionSchema?.attribute(named: name), container: container,
                                               requested: requested, wholeRequested: wholeRequested, excluded: excluded) {
                        kept[name] = projected
                    }
                }
                if !kept.isEmpty { output[key] = .object(kept) }
                continue
            }
            if let projected = project(key, value, definition: type.coreAttribute(named: key), container: "",
                                       requested: requested, wholeRequested: false, excluded: excluded) {
                output[key] = projected
            }
        }
        return .object(output)
    }

    private func project(_ name: String, _ value: JSONValue, definition: AttributeDefinition?, container: String,
                         requested: Selection, wholeRequested: Bool, excluded: Selection) -> JSONValue? {
        let returned = definition?.returned ?? .default
        if returned == .never || definition?.mutability == .writeOnly { return nil }
        var selectedSubs: Set<String>?
        if returned != .always {
            if !requested.isEmpty {
                switch requested.lookup(container: container, attribute: name) {
                case .some(let subs):
                    selectedSubs = subs
                case .none:
                    guard wholeRequested, returned != .request else { return nil }
                }
            } else if returned == .request {
                return nil
            }
            switch excluded.lookup(container: container, attribute: name) {
            case .some(nil): return nil
            default: break
            }
        }
        var excludedSubs: Set<String> = []
        if returned != .always, case .some(.some(let subs)) = excluded.lookup(container: container, attribute: name) {
            excludedSubs = subs
        }
        guard let definition, definition.type == .complex else {
            if selectedSubs != nil || !excludedSubs.isEmpty {
                return Projection.filterSubs(value) { sub in
                    (selectedSubs?.contains(ASCII.lowercased(sub)) ?? true) && !excludedSubs.contains(ASCII.lowercased(sub))
                }
            }
            return value
        }
        return Projection.filterSubs(value) { sub in
            let subDefinition = definition.subAttribute(named: sub)
            let subReturned = subDefinition?.returned ?? .default
            if subReturned == .never || subDefinition?.mutability == .writeOnly { return false }
            if subReturned == .always { return true }
            let lower = ASCII.lowercased(sub)
            if let selectedSubs {
                return selectedSubs.contains(lower) && !excludedSubs.contains(lower)
            }
            if subReturned == .request { return false }
            return !excludedSubs.contains(lower)
        }
    }

    /// Keeps the sub-attributes `keep` accepts, in an object or in each object of an array.
    private static func filterSubs(_ value: JSONValue, _ keep: (String) -> Bool) -> JSONValue? {
        switch value {
        case .object(let object):
            let kept = object.filter { keep($0.key) }
            return kept.isEmpty ? nil : .object(kept)
        case .array(let elements):
            let kept = elements.compactMap { element -> JSONValue? in
                guard case .object = element else { return element }
                return filterSubs(element, keep)
            }
            return kept.isEmpty ? nil : .array(kept)
        default:
            return value
        }
    }

    /// Whether the attribute `name` (e.g. `members`, or `urn:…:User:manager`) would
    /// appear, at least in part, in a response for a resource that has it. Lets the
    /// Directory skip loading 50,000 members for `excludedAttributes=members`.
    public func includes(_ name: String, as type: ResourceType) -> Bool {
        var attribute = name
        var container = ""
        var definition: AttributeDefinition?
        if let notation = AttributePath.parseNotation(name), let resolved = type.resolve(notation) {
            attribute = resolved.path.attribute
            container = resolved.extensionURN ?? ""
            definition = resolved.definition
        }
        let returned = definition?.returned ?? .default
        if returned == .never || definition?.mutability == .writeOnly { return false }
        if returned == .always { return true }
        let requested = Selection(attributes, type: type)
        let excluded = Selection(excludedAttributes, type: type)
        if case .some(nil) = excluded.lookup(container: container, attribute: attribute) { return false }
        if !container.isEmpty, excluded.wholeExtensions.contains(ASCII.lowercased(container)) { return false }
        if !requested.isEmpty {
            if requested.lookup(container: container, attribute: attribute) != nil { return true }
            return !container.isEmpty && requested.wholeExtensions.contains(ASCII.lowercased(container)) && returned != .request
        }
        return returned != .request
    }
}
