// libFuzzer target: PATCH request parsing and application (RFC 7644 §3.5.2), on a user
// and on a group whose members live outside the resource (as the Directory stores them).
// Anything may be refused with a SCIMError; nothing may crash.

private let user: JSONValue = [
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    "id": "2819c223-7f76-453a-919d-413861904646", "userName": "bjensen@example.com", "active": true,
    "name": ["givenName": "Barbara", "familyName": "Jensen"],
    "emails": [["value": "bjensen@example.com", "type": "work", "primary": true]],
    "meta": ["resourceType": "User", "created": "2011-05-13T04:42:34Z", "lastModified": "2011-05-13T04:42:34Z"],
]
private let group: JSONValue = [
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    "id": "e9e30dba-f08f-4109-8486-d5c6a331660a", "displayName": "Tour Guides",
    "meta": ["resourceType": "Group", "created": "2011-05-13T04:42:34Z", "lastModified": "2011-05-13T04:42:34Z"],
]
private let members = InMemoryMemberSet(ids: ["2819c223-7f76-453a-919d-413861904646", "902c246b-6245-4190-8e05-00816be7344a"])
private let engine = PatchEngine(registry: .standard)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPatch(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let request = try? PatchRequest(bytes: Array(bytes)) else { return 0 }
    if let outcome = try? engine.apply(request, to: user, as: .user) {
        // The result is a valid, stable user.
        let again = try? ResourceValidator().canonicalizeStored(outcome.resource, as: .user)
        precondition(again != nil, "a patched user does not canonicalise")
    }
    _ = try? engine.apply(request, to: group, as: .group, members: members)
    _ = try? engine.apply(request, to: group, as: .group)
    return 0
}
