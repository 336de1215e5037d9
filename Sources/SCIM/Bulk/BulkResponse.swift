/// The `200` answer to a bulk request (RFC 7644 §3.7.3): one entry per operation that ran,
/// in the order they ran; a failed one carries its SCIM error as `response`.
public struct BulkResponse: Sendable {
    public struct Result: Sendable {
        public var method: BulkOperation.Method
        public var bulkId: String?
        public var version: String?
        public var location: String?
        public var status: Int
        public var error: SCIMError?

        public init(method: BulkOperation.Method, bulkId: String?, version: String? = nil, location: String? = nil, status: Int, error: SCIMError? = nil) {
            self.method = method
            self.bulkId = bulkId
            self.version = version
            self.location = location
            self.status = status
            self.error = error
        }
    }

    public var results: [Result] = []

    public init(results: [Result] = []) {
        self.results = results
    }

    public var json: JSONValue {
        .object([
            "schemas": .array([.string(SCIMSchemaURN.bulkResponse)]),
            "Operations": .array(results.map { result in
                var entry: [String: JSONValue] = ["method": .string(result.method.rawValue), "status": .string(String(result.status))]
                if let bulkId = result.bulkId { entry["bulkId"] = .string(bulkId) }
                if let version = result.version { entry["version"] = .string(version) }
                if let location = result.location { entry["location"] = .string(location) }
                if let error = result.error { entry["response"] = error.body }
                return .object(entry)
            }),
        ])
    }
}
