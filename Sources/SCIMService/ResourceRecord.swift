import SCIM

/// A resource as the API answers with it: its stored attributes, the derived ones
/// (`User.groups`, `Group.members`), `meta` complete (`location` from the request's base
/// URL), the requested projection applied, and its version for `ETag`.
public struct ResourceRecord: Sendable {
    public var type: ResourceType
    public var id: String
    /// The entity tag (`W/"…"`), equal to `meta.version`.
    public var version: String
    /// `meta.location`: the resource's URL, for a `Location` header.
    public var location: String?
    /// The JSON to send, as a value (parsed on first use when the record was rendered
    /// straight to bytes).
    public var document: JSONValue {
        get { value ?? body.flatMap { try? JSONValue.parse($0) } ?? .null }
        set {
            value = newValue
            body = nil
        }
    }
    /// The JSON to send, serialized compactly, when it was rendered from the stored bytes
    /// without a parse (see `JSONCompactor`).
    public private(set) var body: [UInt8]?
    private var value: JSONValue?

    public init(type: ResourceType, id: String, version: String, location: String? = nil, document: JSONValue) {
        self.type = type
        self.id = id
        self.version = version
        self.location = location
        self.value = document
    }

    /// A record rendered straight to bytes (compact JSON).
    public init(type: ResourceType, id: String, version: String, location: String? = nil, body: [UInt8]) {
        self.type = type
        self.id = id
        self.version = version
        self.location = location
        self.body = body
    }

    /// What goes on the wire: compact JSON.
    public var serialized: [UInt8] { body ?? document.serialized(.compact) }
}
