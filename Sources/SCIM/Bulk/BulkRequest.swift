/// A `POST /Bulk` body (RFC 7644 §3.7), parsed and checked before any operation runs.
///
/// What makes the request as a whole unusable is refused here, with nothing applied: not a
/// BulkRequest, more than `maxOperations` operations (`413`, §3.7.4), an operation without
/// a method or path, a POST without a `bulkId`, a `bulkId` used twice or referenced but never
/// defined. What can only fail when an operation runs (a duplicate userName, a stale
/// version, an unknown id) fails that operation alone, in the response.
public struct BulkRequest: Sendable {
    public var operations: [BulkOperation]
    /// Stop after this many failed operations (nil: run them all).
    public var failOnErrors: Int?

    public init(json: JSONValue, maxOperations: Int) throws(SCIMError) {
        guard case .object(let body) = json else { throw .invalidSyntax("a bulk request must be a JSON object (a BulkRequest message)") }
        let schemas = body.value(forAttribute: "schemas")?.arrayValue ?? []
        guard schemas.contains(where: { $0.stringValue.map { ASCII.equalsIgnoringCase($0, SCIMSchemaURN.bulkRequest) } ?? false }) else {
            throw .invalidSyntax("\"schemas\" must contain \(SCIMSchemaURN.bulkRequest)")
        }
        guard case .array(let list)? = body.value(forAttribute: "Operations"), !list.isEmpty else {
            throw .invalidSyntax("\"Operations\" is required and must be a non-empty array")
        }
        guard list.count <= maxOperations else {
            throw .payloadTooLarge("the bulk request has \(list.count) operations; this server takes at most \(maxOperations) (maxOperations in /ServiceProviderConfig)")
        }
        if let limit = body.value(forAttribute: "failOnErrors"), !limit.isNull {
            guard let count = limit.intValue, count >= 1 else { throw .invalidValue("\"failOnErrors\" must be an integer of at least 1") }
            failOnErrors = Int(count)
        }
        var operations: [BulkOperation] = []
        var defined: Set<String> = []
        for (index, item) in list.enumerated() {
            let operation = try BulkOperation(json: item, index: index)
            if let bulkId = operation.bulkId {
                guard defined.insert(bulkId).inserted else {
                    throw .invalidValue("Operations[\(index)]: bulkId \"\(bulkId)\" is used by an earlier operation; each must be unique in the request")
                }
            }
            operations.append(operation)
        }
        for (index, operation) in operations.enumerated() {
            for reference in operation.references.sorted() where !defined.contains(reference) {
                throw .invalidValue("Operations[\(index)] refers to bulkId:\(reference), which no POST of this request defines")
            }
        }
        self.operations = operations
    }
}
