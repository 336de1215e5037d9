import Testing
@testable import SCIM

@Suite("SCIM errors")
struct SCIMErrorTests {
    @Test func bodyMatchesTheRFC7644Examples() throws {
        let notFound = SCIMError.notFound("Resource 2819c223-7f76-453a-919d-413861904646 not found")
        #expect(notFound.body == (try Fixture.json("rfc7644/error-not-found.json")))
        let mutability = SCIMError.mutability("Attribute 'id' is readOnly")
        #expect(mutability.body == (try Fixture.json("rfc7644/error-mutability.json")))
    }

    @Test func statusIsAStringInTheBody() {
        let error = SCIMError.uniqueness("userName taken")
        #expect(error.body["status"] == "409")
        #expect(error.body["scimType"] == "uniqueness")
        #expect(error.body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"])
    }

    @Test(arguments: [
        (SCIMError.invalidFilter("d"), 400, SCIMType.invalidFilter),
        (SCIMError.tooMany("d"), 400, .tooMany),
        (SCIMError.uniqueness("d"), 409, .uniqueness),
        (SCIMError.mutability("d"), 400, .mutability),
        (SCIMError.invalidSyntax("d"), 400, .invalidSyntax),
        (SCIMError.invalidPath("d"), 400, .invalidPath),
        (SCIMError.noTarget("d"), 400, .noTarget),
        (SCIMError.invalidValue("d"), 400, .invalidValue),
        (SCIMError.invalidVers("d"), 400, .invalidVers),
        (SCIMError.sensitive("d"), 400, .sensitive),
    ])
    func constructorsCarryStatusAndType(error: SCIMError, status: Int, type: SCIMType) {
        #expect(error.status == status)
        #expect(error.scimType == type)
        #expect(error.detail == "d")
        #expect(SCIMError(body: error.body) == error)
    }

    @Test(arguments: [
        (SCIMError.badRequest("d"), 400), (SCIMError.unauthorized("d"), 401), (SCIMError.forbidden("d"), 403),
        (SCIMError.notFound("d"), 404), (SCIMError.methodNotAllowed("d"), 405), (SCIMError.conflict("d"), 409),
        (SCIMError.preconditionFailed("d"), 412), (SCIMError.payloadTooLarge("d"), 413),
        (SCIMError.tooManyRequests("d"), 429), (SCIMError.internalError("d"), 500), (SCIMError.notImplemented("d"), 501),
    ])
    func plainErrorsHaveNoScimType(error: SCIMError, status: Int) {
        #expect(error.status == status)
        #expect(error.scimType == nil)
        #expect(error.body["scimType"] == nil)
        #expect(SCIMError(body: error.body) == error)
    }

    @Test func readingBackRejectsOtherDocuments() {
        #expect(SCIMError(body: ["status": 404]) == nil)
        #expect(SCIMError(body: "x") == nil)
        #expect(SCIMError(body: ["status": "abc"]) == nil)
    }

    @Test func describesItself() {
        #expect(SCIMError.noTarget("x").description == "SCIMError(400 noTarget: x)")
        #expect(SCIMError.notFound("y").description == "SCIMError(404: y)")
    }
}
