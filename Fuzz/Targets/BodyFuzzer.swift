// libFuzzer target: the request body decoder — JSON parsing (depth-limited, strict UTF-8)
// and validation of a body as a User, a Group and a search request. Anything may be
// refused with a SCIMError; nothing may crash; what parses must round-trip.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBody(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let value = try? JSONValue.parse(bytes, maxDepth: 64) else { return 0 }
    let compact = value.serialized(.compact)
    guard let reparsed = try? JSONValue.parse(compact, maxDepth: 64) else { fatalError("compact JSON does not parse back") }
    precondition(reparsed == value, "JSON does not round-trip")
    let validator = ResourceValidator()
    for type in [ResourceType.user, .group] {
        if let validated = try? validator.validate(value, as: type) {
            let twice = try? validator.validate(validated.resource, as: type)
            precondition(twice?.resource == validated.resource, "canonical form is not stable")
        }
    }
    _ = try? SearchRequest(body: value, for: .user)
    return 0
}
