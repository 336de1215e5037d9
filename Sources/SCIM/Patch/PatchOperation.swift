/// A PATCH request body (RFC 7644 §3.5.2), parsed and checked for structure.
///
/// Parsing is separate from applying so that a malformed body is refused before the
/// resource is even read, with `invalidSyntax` (structure) or `invalidPath` (a path that
/// does not parse). Lenient where IdPs need it: op names in any case (Entra's `Replace`),
/// member names in any case (`operations`), an empty `path` meaning no path, a missing
/// `schemas` (when present it must list the PatchOp URN).
public struct PatchRequest: Sendable, Hashable {
    public var operations: [PatchOperation]

    public init(operations: [PatchOperation]) {
        self.operations = operations
    }

    /// Parses a PatchOp message. Errors: `invalidSyntax` (not an object, no or empty
    /// `Operations`, unknown `op`, missing `value`), `invalidPath` (unparseable `path`),
    /// `noTarget` (`remove` without `path`).
    public init(json: JSONValue) throws(SCIMError) {
        guard case .object(let body) = json else {
            throw .invalidSyntax("a PATCH body must be a JSON object (a PatchOp message)")
        }
        if let schemas = body.value(forAttribute: "schemas"), !schemas.isNull {
            let listed = schemas.arrayValue ?? [schemas]
            guard listed.contains(where: { $0.stringValue.map { ASCII.equalsIgnoringCase($0, SCIMSchemaURN.patchOp) } ?? false }) else {
                throw .invalidSyntax("\"schemas\" must contain \(SCIMSchemaURN.patchOp)")
            }
        }
        guard let operations = body.value(forAttribute: "Operations"), !operations.isNull else {
            throw .invalidSyntax("\"Operations\" is required")
        }
        guard case .array(let list) = operations, !list.isEmpty else {
            throw .invalidSyntax("\"Operations\" must be a non-empty array")
        }
        var parsed: [PatchOperation] = []
        parsed.reserveCapacity(list.count)
        for (index, item) in list.enumerated() {
            parsed.append(try PatchOperation(json: item, index: index))
        }
        self.operations = parsed
    }

    /// Parses a PatchOp message from bytes (`invalidSyntax` if they are not JSON).
    public init(bytes: [UInt8]) throws(SCIMError) {
        try self.init(json: try JSONValue.parse(bytes))
    }
}

/// One operation of a PATCH request.
public struct PatchOperation: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case add, replace, remove
    }

    public var op: Kind
    /// The `path` as sent (trimmed); nil when absent or empty.
    public var path: String?
    /// The `value` as sent; nil when absent.
    public var value: JSONValue?

    public init(op: Kind, path: String? = nil, value: JSONValue? = nil) {
        self.op = op
        self.path = path
        self.value = value
    }

    init(json: JSONValue, index: Int) throws(SCIMError) {
        let label = "Operations[\(index)]"
        guard case .object(let object) = json else {
            throw .invalidSyntax("\(label) must be an object")
        }
        guard let name = object.value(forAttribute: "op")?.stringValue else {
            throw .invalidSyntax("\(label): \"op\" is required and must be a string")
        }
        guard let kind = Kind.allCases.first(where: { ASCII.equalsIgnoringCase($0.rawValue, name) }) else {
            throw .invalidSyntax("\(label): unknown op \"\(name)\"; expected add, replace or remove")
        }
        var path: String?
        if let rawPath = object.value(forAttribute: "path"), !rawPath.isNull {
            guard case .string(let text) = rawPath else {
                throw .invalidSyntax("\(label): \"path\" must be a string")
            }
            let trimmed = text.trimmingWhitespace
            if !trimmed.isEmpty {
                do {
                    _ = try AttributePath.parse(trimmed)
                } catch {
                    throw .invalidPath("\(label): \(error.detail)")
                }
                path = trimmed
            }
        }
        let value = object.value(forAttribute: "value")
        switch kind {
        case .add, .replace:
            guard let value else { throw .invalidSyntax("\(label): \"value\" is required for \(kind.rawValue)") }
            if path == nil {
                guard case .object = value else {
                    throw .invalidSyntax("\(label): \(kind.rawValue) without \"path\" needs an object \"value\" (attribute names to values)")
                }
            }
        case .remove:
            if path == nil { throw .noTarget("\(label): remove needs a \"path\"") }
        }
        self.init(op: kind, path: path, value: value)
    }

    /// The path parsed without a schema (nil when the operation has none).
    public var parsedPath: AttributePath? {
        guard let path else { return nil }
        return try? AttributePath.parse(path)
    }
}
