import Foundation
import SCIM
import Testing
import TestSupport

/// One server for many organisations (`serve --tenants ROOT`): each tenant a store of its
/// own, at its own Base URL, with its own tokens; added and removed while serving; hostile
/// names refused everywhere.
@Suite("End to end: tenants", .serialized)
struct TenantTests {
    /// `scimgit tenant add NAME --root ROOT`: the Base URL path and the token, as printed.
    private func addTenant(_ name: String, root: String, publicURL: String? = nil) throws -> (baseURLLine: String, token: String) {
        let result = try scimgit(["tenant", "add", name, "--root", root] + (publicURL.map { ["--public-url", $0] } ?? []))
        #expect(result.status == 0, "\(result.errors)")
        let lines = result.output.split(separator: "\n").map(String.init)
        let base = try #require(lines.first { $0.hasPrefix("Base URL: ") })
        let token = try #require(lines.last)
        return (String(base.dropFirst("Base URL: ".count)), token)
    }

    private func client(_ server: ServerProcess, _ tenant: String, _ token: String) -> SCIMClient {
        SCIMClient(baseURL: server.baseURL(ofTenant: tenant), authorization: token)
    }

    @Test func tenantAddPrintsItsBaseURLAndAToken() throws {
        let folder = TemporaryFolder()
        let root = folder.path + "/tenants"
        let (path, token) = try addTenant("acme", root: root)
        #expect(path == "/scim/v2/acme")
        #expect(token.count >= 40 && !token.contains(" "))
        #expect(try addTenant("globex", root: root, publicURL: "https://scim.example.com/scim/v2/").baseURLLine == "https://scim.example.com/scim/v2/globex")
        #expect(try git(["log", "--format=%s"], in: root + "/acme") == "Initialize scimgit store\n")
        #expect(try scimgit(["tenant", "add", "acme", "--root", root]).status != 0, "a second acme is refused")
        let list = try scimgit(["tenant", "list", "--root", root])
        #expect(list.status == 0)
        let rows = list.output.split(separator: "\n")
        #expect(rows.count == 3 && rows[0].hasPrefix("NAME") && rows[1].hasPrefix("acme  ") && rows[2].hasPrefix("globex"), "\(list.output)")
        #expect(try scimgit(["token", "list", "--repo", root + "/acme"]).output.contains("default"))
    }

    @Test func hostileNamesAreRefusedAndTouchNothing() throws {
        let folder = TemporaryFolder()
        let root = folder.path + "/tenants"
        let before = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        for name in ["..", ".", "a/b", "../evil", "%2f", "a%2fb", "Users", "users", "GROUPS", ".search", "Acme", "a%00b", "-acme", "", String(repeating: "a", count: 64), "a_b", "a b", "é"] {
            let result = try scimgit(["tenant", "add", name, "--root", root])
            #expect(result.status != 0, "\(Array(name.utf8)) was accepted")
            #expect(!result.errors.isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == before, "\(Array(name.utf8)) created something")
        }
        #expect(try scimgit(["tenant", "remove", "..", "--root", folder.path]).status != 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == before)
    }

    @Test func tenantsAreIsolatedAndCannotBeProbed() async throws {
        let folder = TemporaryFolder()
        let root = folder.path + "/tenants"
        let acmeToken = try addTenant("acme", root: root).token
        let globexToken = try addTenant("globex", root: root).token
        let server = try ServerProcess(tenantsRoot: root)
        let acme = client(server, "acme", acmeToken)
        let globex = client(server, "globex", globexToken)
        // The same userName in both: each tenant has its own uniqueness.
        let inAcme = try await acme.post("/Users", ["userName": "ada@example.com"])
        let inGlobex = try await globex.post("/Users", ["userName": "ada@example.com"])
        #expect(inAcme.status == 201 && inGlobex.status == 201)
        let acmeID = try #require(inAcme.json?["id"]?.stringValue)
        #expect(inAcme.header("Location") == server.baseURL(ofTenant: "acme") + "/Users/" + acmeID)
        #expect(inAcme.json?["meta"]?["location"]?.stringValue == server.baseURL(ofTenant: "acme") + "/Users/" + acmeID)
        #expect(try await acme.post("/Users", ["userName": "ADA@example.com"]).status == 409)
        #expect(try await globex.get("/Users/\(acmeID)").status == 404, "another tenant's id is nowhere")
        #expect(try await acme.get("/Users?count=0").json?["totalResults"] == 1)
        // Another tenant's token, an unknown tenant, an invalid name: the same 401.
        let wrongToken = try await SCIMClient(baseURL: server.baseURL(ofTenant: "globex"), authorization: acmeToken).get("/Users")
        let unknownTenant = try await SCIMClient(baseURL: server.baseURL(ofTenant: "initech"), authorization: acmeToken).get("/Users")
        let invalidName = try await SCIMClient(baseURL: server.baseURL(ofTenant: "..%2facme"), authorization: acmeToken).get("/Users")
        let withNUL = try await SCIMClient(baseURL: server.baseURL(ofTenant: "acme%00"), authorization: acmeToken).get("/Users")
        let upperCase = try await SCIMClient(baseURL: server.baseURL(ofTenant: "ACME"), authorization: acmeToken).get("/Users")
        for response in [wrongToken, unknownTenant, invalidName, withNUL, upperCase] {
            #expect(response.status == 401)
            #expect(response.json?["detail"] == wrongToken.json?["detail"])
        }
        #expect(try await SCIMClient(baseURL: server.baseURL(ofTenant: "initech"), authorization: acmeToken).get("/ServiceProviderConfig").status == 401)
        // Discovery carries the tenant's own Base URL.
        let config = try await acme.get("/ServiceProviderConfig")
        #expect(config.status == 200)
        #expect(config.json?["meta"]?["location"]?.stringValue?.hasPrefix(server.baseURL(ofTenant: "acme")) == true)
        // Each tenant's commits are in its own store.
        #expect(try git(["log", "-1", "--format=%an %s"], in: root + "/acme") == "default Create user ada@example.com\n")
        #expect(try git(["rev-list", "--count", "HEAD"], in: root + "/globex") == "2\n")
    }

    /// A request without the tenant's token never costs a store: it is refused before the
    /// store is opened (the clean-stop record a closed store keeps is still there).
    @Test func onlyAnAuthenticatedRequestOpensATenant() async throws {
        let folder = TemporaryFolder()
        let root = folder.path + "/tenants"
        let token = try addTenant("acme", root: root).token
        let marker = root + "/acme/.git/scimgit/clean-shutdown"
        #expect(FileManager.default.fileExists(atPath: marker))
        let server = try ServerProcess(tenantsRoot: root)
        for authorization in [nil, "Bearer wrong-token-0123456789", "Bearer " + token + "x"] {
            #expect(try await SCIMClient(baseURL: server.baseURL(ofTenant: "acme"), authorization: authorization).get("/Users").status == 401)
        }
        #expect(FileManager.default.fileExists(atPath: marker), "not opened")
        #expect(try await client(server, "acme", token).get("/Users").status == 200)
        #expect(!FileManager.default.fileExists(atPath: marker), "opened")
    }

    @Test func tenantsAddedAndRemovedWhileServing() async throws {
        let folder = TemporaryFolder()
        let root = folder.path + "/tenants"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let server = try ServerProcess(tenantsRoot: root)
        #expect(server.log.contains("serving 0 tenants"))
        let token = try addTenant("acme", root: root).token
        let acme = client(server, "acme", token)
        let created = try await acme.post("/Users", ["userName": "ada@example.com"])
        #expect(created.status == 201, "a tenant added while serving is served at once")
        let remove = try scimgit(["tenant", "remove", "acme", "--root", root])
        #expect(remove.status == 0, "\(remove.errors)")
        #expect(remove.output.contains(root + "/.removed/acme-"))
        #expect(try await acme.get("/Users").status == 401, "a removed tenant is unknown")
        #expect(!FileManager.default.fileExists(atPath: root + "/acme"))
        let aside = try #require(try FileManager.default.contentsOfDirectory(atPath: root + "/.removed").first)
        #expect(try git(["log", "-1", "--format=%s"], in: root + "/.removed/" + aside) == "Create user ada@example.com\n", "history kept")
        #expect(try scimgit(["tenant", "list", "--root", root]).output.hasPrefix("No tenants"))
        // A new tenant of the same name starts empty.
        let again = client(server, "acme", try addTenant("acme", root: root).token)
        #expect(try await again.get("/Users?count=0").json?["totalResults"] == 0)
    }

    @Test func anIdleTenantIsClosedAndReopenedOnItsNextRequest() async throws {
        let folder = TemporaryFolder()
        let root = folder.path + "/tenants"
        let token = try addTenant("acme", root: root).token
        let server = try ServerProcess(["--tenant-idle", "1"], tenantsRoot: root)
        let acme = client(server, "acme", token)
        let ada = try #require(try await acme.post("/Users", ["userName": "ada@example.com"]).json?["id"]?.stringValue)
        let marker = root + "/acme/.git/scimgit/clean-shutdown"
        // Closed once idle: index, snapshot and the clean-stop record written, the tree free.
        #expect(eventually(within: 10) { FileManager.default.fileExists(atPath: marker) }, "\(server.log)")
        #expect(FileManager.default.fileExists(atPath: root + "/acme/.git/scimgit/index-snapshot"))
        #expect(try git(["--no-optional-locks", "status", "--porcelain"], in: root + "/acme").isEmpty)
        // The next request opens it again from the snapshot.
        #expect(try await acme.get("/Users/\(ada)").json?["userName"] == "ada@example.com")
        #expect(!FileManager.default.fileExists(atPath: marker), "an open store has no clean-stop record")
        #expect(try await acme.post("/Users", ["userName": "grace@example.com"]).status == 201)
    }

    @Test func aLinkInTheRootAndABrokenTenantAffectOnlyThemselves() async throws {
        let folder = TemporaryFolder()
        let root = folder.path + "/tenants"
        let acmeToken = try addTenant("acme", root: root).token
        let brokenToken = try addTenant("broken", root: root).token
        // A store outside ROOT, linked in as if it were a tenant.
        let outsideToken = try addTenant("outside", root: folder.path + "/elsewhere").token
        try FileManager.default.createSymbolicLink(atPath: root + "/linked", withDestinationPath: folder.path + "/elsewhere/outside")
        try "not a ref\n".write(toFile: root + "/broken/.git/HEAD", atomically: true, encoding: .utf8)
        let server = try ServerProcess(tenantsRoot: root)
        #expect(try await client(server, "linked", outsideToken).get("/Users").status == 401, "a link in ROOT is not followed")
        let broken = try await client(server, "broken", brokenToken).get("/Users")
        #expect([500, 503].contains(broken.status), "\(broken.status)")
        #expect(broken.json?["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"])
        #expect(try await client(server, "broken", "wrong-token-0123456789").get("/Users").status == 401)
        #expect(try await client(server, "acme", acmeToken).post("/Users", ["userName": "ada@example.com"]).status == 201)
        #expect(!(try scimgit(["tenant", "list", "--root", root]).output.contains("linked")))
    }

    @Test func killDashNineDuringWritesToTwoTenantsLosesNothingAcknowledged() async throws {
        let folder = TemporaryFolder()
        let root = folder.path + "/tenants"
        let tokens = ["acme": try addTenant("acme", root: root).token, "globex": try addTenant("globex", root: root).token]
        let server = try ServerProcess(durability: "durable", tenantsRoot: root)
        actor Acknowledged {
            var names: [String: [String]] = [:]
            func add(_ tenant: String, _ name: String) { names[tenant, default: []].append(name) }
        }
        let acknowledged = Acknowledged()
        await withTaskGroup(of: Void.self) { group in
            for (tenant, token) in tokens {
                for writer in 0..<3 {
                    group.addTask { [server] in
                        let scim = SCIMClient(baseURL: server.baseURL(ofTenant: tenant), authorization: token)
                        for number in 0..<15 {
                            let name = "\(tenant)-\(writer)-\(number)@example.com"
                            guard let response = try? await scim.post("/Users", ["userName": .string(name)]), response.status == 201 else { return }
                            await acknowledged.add(tenant, name)
                        }
                    }
                }
            }
            group.addTask { [server] in
                try? await Task.sleep(for: .milliseconds(600))
                server.kill(signal: SIGKILL)
            }
        }
        try server.start()
        for (tenant, token) in tokens {
            let scim = SCIMClient(baseURL: server.baseURL(ofTenant: tenant), authorization: token)
            for name in await acknowledged.names[tenant] ?? [] {
                let found = try await scim.get("/Users?filter=\(query("userName eq \"\(name)\""))")
                #expect(found.json?["totalResults"] == 1, "\(tenant): \(name) was acknowledged")
            }
            #expect(try scimgit(["verify", "--repo", root + "/" + tenant]).status == 0)
        }
    }
}
