/// An attribute path matched against a resource type's schemas.
///
/// Filters, PATCH, projection and sorting resolve names here once, so that they all agree
/// on what `urn:…:User:manager.value` or `EMAILS.Value` mean: which container in the
/// resource holds the attribute (top level, or the object under an extension URN), and
/// which `AttributeDefinition` governs it.
public struct ResolvedAttribute: Sendable, Hashable {
    /// Where the attribute lives in a resource document.
    public enum Container: Sendable, Hashable {
        /// A top-level member (core schema or common attribute).
        case core
        /// A member of the object stored under this extension URN (canonical case when known).
        case `extension`(String)
    }

    public var container: Container
    /// The attribute's definition; nil for attributes under an extension URN the registry
    /// does not know (their values are kept as sent and handled untyped).
    public var definition: AttributeDefinition?
    /// The sub-attribute's definition when the path names one (nil if untyped).
    public var subDefinition: AttributeDefinition?
    /// The canonical path (no value filter).
    public var path: AttributePath

    /// The definition that governs the value the path points at (sub-attribute if named).
    public var effectiveDefinition: AttributeDefinition? {
        path.subAttribute != nil ? subDefinition : definition
    }

    /// The extension URN, or nil for core attributes.
    public var extensionURN: String? {
        if case .extension(let urn) = container { return urn }
        return nil
    }
}

/// The outcome of resolving a path: an attribute, a whole extension object, or a reason
/// it names nothing.
enum PathResolution {
    case attribute(ResolvedAttribute)
    case wholeExtension(urn: String, schema: Schema?)
    case unknown(String)
}

extension ResourceType {
    /// Resolves `path` (its value filter is ignored) to an attribute of this type, or nil
    /// when it names no attribute. Paths under an extension URN this type does not know
    /// resolve to an untyped attribute (definition nil).
    public func resolve(_ path: AttributePath) -> ResolvedAttribute? {
        if case .attribute(let resolved) = resolution(of: path) { return resolved }
        return nil
    }

    func resolution(of path: AttributePath) -> PathResolution {
        if let schemaURN = path.schema {
            // `urn:…:enterprise:2.0:User` alone: the path names a whole extension object.
            let whole = schemaURN + ":" + path.attribute
            if path.subAttribute == nil {
                if let ext = extensionSchema(whole) { return .wholeExtension(urn: ext.id, schema: ext) }
                if ASCII.equalsIgnoringCase(whole, schema.id) { return .unknown("\"\(whole)\" names the core schema, not an attribute") }
            }
            if ASCII.equalsIgnoringCase(schemaURN, schema.id) {
                return resolveCore(path.attribute, path.subAttribute, original: path)
            }
            if let ext = extensionSchema(schemaURN) {
                guard let definition = ext.attribute(named: path.attribute) else {
                    return .unknown("no attribute \"\(path.attribute)\" in schema \(ext.id)")
                }
                return finish(container: .extension(ext.id), schemaURN: ext.id, definition: definition, sub: path.subAttribute)
            }
            if ASCII.hasPrefixIgnoringCase(schemaURN, "urn:ietf:params:scim:schemas:core:") {
                return .unknown("schema \(schemaURN) does not apply to \(name) resources")
            }
            guard schemaURN.utf8.contains(UInt8(ascii: ":")) else {
                // `a.b:c` or `urn:c`: the part before the last colon is no schema URN.
                return .unknown("\"\(schemaURN)\" is not a schema URN")
            }
            // An extension the registry does not know: kept as sent, handled untyped.
            return .attribute(ResolvedAttribute(
                container: .extension(schemaURN), definition: nil, subDefinition: nil,
                path: AttributePath(schema: schemaURN, attribute: path.attribute, subAttribute: path.subAttribute)))
        }
        return resolveCore(path.attribute, path.subAttribute, original: path)
    }

    private func resolveCore(_ attribute: String, _ sub: String?, original: AttributePath) -> PathResolution {
        guard let definition = coreAttribute(named: attribute) else {
            return .unknown("no attribute \"\(attribute)\" in \(name) resources")
        }
        return finish(container: .core, schemaURN: nil, definition: definition, sub: sub)
    }

    private func finish(container: ResolvedAttribute.Container, schemaURN: String?, definition: AttributeDefinition, sub: String?) -> PathResolution {
        var subDefinition: AttributeDefinition?
        if let sub {
            guard definition.type == .complex else {
                return .unknown("\"\(definition.name)\" has no sub-attributes")
            }
            guard let found = definition.subAttribute(named: sub) else {
                return .unknown("no sub-attribute \"\(sub)\" in \"\(definition.name)\"")
            }
            subDefinition = found
        }
        return .attribute(ResolvedAttribute(
            container: container, definition: definition, subDefinition: subDefinition,
            path: AttributePath(schema: schemaURN, attribute: definition.name, subAttribute: subDefinition?.name)))
    }
}
