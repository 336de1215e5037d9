import SCIMService
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SCIM
import Testing
@testable import SCIMServer

/// ETags (RFC 7644 §3.14): `ETag` on every single resource, `If-None-Match` → 304,
/// `If-Match` → a `EntityTagList` for the service (stale → 412).
@Suite struct ConditionalRequestTests {
    @Test func ifNoneMatchWithTheCurrentVersionIs304WithoutABody() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let id = try await client.createUser("ada@example.com")
            let etag = try #require(try await client.scim(.get, "Users/\(id)").headers[.eTag])
            for header in [etag, "\"other\", \(etag)", "*", etag.replacingOccurrences(of: "W/", with: "")] {
                let response = try await client.scim(.get, "Users/\(id)", headers: [.ifNoneMatch: header])
                #expect(response.status == .notModified, "\(header)")
                #expect(response.body.readableBytes == 0)
                #expect(response.headers[.eTag] == etag)
                #expect(response.headers[.cacheControl] == "no-store")
            }
            let stale = try await client.scim(.get, "Users/\(id)", headers: [.ifNoneMatch: "W/\"stale\""])
            #expect(stale.status == .ok)
            #expect(try stale.json["id"]?.stringValue == id)
        }
    }

    @Test func ifMatchIsPassedToTheServiceWhichAnswers412WhenStale() async throws {
        let service = InMemoryResourceService()
        let app = try TestServer.application(service: service)
        try await app.test(.router) { client in
            let id = try await client.createUser("ada@example.com")
            let current = try await client.scim(.get, "Users/\(id)")
            let etag = try #require(current.headers[.eTag])
            var body = try current.json
            body["displayName"] = "Ada"

            let stale = try await client.scim(.put, "Users/\(id)", headers: [.ifMatch: "W/\"old\""], json: body)
            #expect(stale.status == .preconditionFailed)
            #expect(stale.scimError?.status == 412)
            #expect(service.lastCall?.precondition == .tags(["W/\"old\""]))

            let fresh = try await client.scim(.put, "Users/\(id)", headers: [.ifMatch: "W/\"old\", \(etag)"], json: body)
            #expect(fresh.status == .ok)
            #expect(service.lastCall?.precondition == .tags(["W/\"old\"", etag]))
            let newTag = try #require(fresh.headers[.eTag])
            #expect(newTag != etag)

            let patch = try await client.scim(.patch, "Users/\(id)", headers: [.ifMatch: etag], json: try Fixtures.json("okta/deactivate-user.json"))
            #expect(patch.status == .preconditionFailed)

            let any = try await client.scim(.patch, "Users/\(id)", headers: [.ifMatch: "*"], json: try Fixtures.json("okta/deactivate-user.json"))
            #expect(any.status == .ok)
            #expect(service.lastCall?.precondition == .any)

            let deleteStale = try await client.scim(.delete, "Users/\(id)", headers: [.ifMatch: newTag])
            #expect(deleteStale.status == .preconditionFailed)
            let deleteFresh = try await client.scim(.delete, "Users/\(id)", headers: [.ifMatch: try #require(any.headers[.eTag])])
            #expect(deleteFresh.status == .noContent)
        }
    }

    @Test func withoutIfMatchThereIsNoPrecondition() async throws {
        let service = InMemoryResourceService()
        let app = try TestServer.application(service: service)
        try await app.test(.router) { client in
            let id = try await client.createUser("ada@example.com")
            _ = try await client.scim(.delete, "Users/\(id)")
            let call = try #require(service.lastCall)
            #expect(call.operation == "delete")
            #expect(call.precondition == nil)
        }
    }

    @Test func entityTagListParsing() {
        #expect(EntityTagList(headerValues: []) == nil)
        #expect(EntityTagList(headerValues: ["  "]) == nil)
        #expect(EntityTagList(headerValues: ["*"]) == .any)
        #expect(EntityTagList(headerValues: ["W/\"a\", \"b\""]) == .tags(["W/\"a\"", "\"b\""]))
        #expect(EntityTagList(headerValues: ["\"a,b\",W/\"c\""]) == .tags(["\"a,b\"", "W/\"c\""]))
        #expect(EntityTagList(headerValues: ["W/\"a\"", "\"b\""]) == .tags(["W/\"a\"", "\"b\""]))
        #expect(EntityTagList(headerValues: ["bare"]) == .tags(["\"bare\""]))
        let list = EntityTagList(headerValues: ["\"x\", W/\"v7\""])
        #expect(list?.matches("W/\"v7\"") == true)
        #expect(list?.matches("\"x\"") == true)
        #expect(list?.matches("W/\"v8\"") == false)
    }
}
