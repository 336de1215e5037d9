/// One operation of a bulk request: the method, path, body and version a single request
/// would carry, plus the `bulkId` a POST names its new resource by.
public struct BulkOperation: Sendable {
    public enum Method: String, Sendable, CaseIterable {
        case post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE"
    }

    public var method: Method
    /// The client's name for the resource a POST creates, unique in the request.
    public var bulkId: String?
    /// The `If-Match` of the operation, e.g. `W/"3"`.
    public var version: String?
    /// Relative to the base URL: `/Users` for a POST, `/Users/{id}` (or `/Users/bulkId:x`)
    /// otherwise.
    public var path: String
    public var data: JSONValue?
    /// The bulkIds this operation needs created first (in `path` or `data`).
    public var references: Set<String>

    public init(method: Method, bulkId: String? = nil, version: String? = nil, path: String, data: JSONValue? = nil) {
        self.method = method
        self.bulkId = bulkId
        self.version = version
        self.path = path
        self.data = data
        references = BulkReference.names(in: path).union(data.map(BulkReference.names(in:)) ?? [])
    }

    init(json: JSONValue, index: Int) throws(SCIMError) {
        let label = "Operations[\(index)]"
        guard case .object(let object) = json else { throw .invalidSyntax("\(label) must be an object") }
        guard let name = object.value(forAttribute: "method")?.stringValue else {
            throw .invalidSyntax("\(label): \"method\" is required (POST, PUT, PATCH or DELETE)")
        }
        guard let method = Method.allCases.first(where: { ASCII.equalsIgnoringCase($0.rawValue, name) }) else {
            throw .invalidValue("\(label): method \"\(name)\" is not one of POST, PUT, PATCH, DELETE")
        }
        guard let path = object.value(forAttribute: "path")?.stringValue, path.hasPrefix("/") else {
            throw .invalidSyntax("\(label): \"path\" is required, relative to the base URL (\"/Users\", \"/Groups/{id}\")")
        }
        let bulkId = try Self.string(object, "bulkId", label)
        if method == .post {
            guard let bulkId, !bulkId.isEmpty else { throw .invalidSyntax("\(label): a POST needs a \"bulkId\"") }
        }
        let data = object.value(forAttribute: "data").flatMap { $0.isNull ? nil : $0 }
        if method != .delete {
            guard case .object? = data else { throw .invalidSyntax("\(label): \(method.rawValue) needs \"data\", a JSON object") }
        }
        self.init(method: method, bulkId: bulkId, version: try Self.string(object, "version", label), path: path, data: data)
        if let bulkId, references.contains(bulkId) {
            throw .invalidValue("\(label) refers to its own bulkId:\(bulkId)")
        }
    }

    private static func string(_ object: [String: JSONValue], _ key: String, _ label: String) throws(SCIMError) -> String? {
        guard let value = object.value(forAttribute: key), !value.isNull else { return nil }
        guard let text = value.stringValue else { throw .invalidSyntax("\(label): \"\(key)\" must be a string") }
        return text
    }
}
