import Foundation
import Testing
import TestSupport

/// `--token-file` configures tokens without putting them in the process list; a file
/// others may read is refused; a secret never reaches the output, even at trace level.
@Suite("End to end: token files", .serialized)
struct TokenFileTests {
    static let secret = "file-secret-Vq7Rk2Lm9Wx4Tz8N"

    static func tokenFile(_ text: String, mode: Int, in folder: TemporaryFolder) throws -> String {
        let path = folder.path + "/tokens"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test func tokensFromAFileAuthenticateAndNeverReachTheLog() async throws {
        let folder = TemporaryFolder()
        let file = try Self.tokenFile("# the provisioning job\nprovisioner=\(Self.secret)\n", mode: 0o600, in: folder)
        let server = try ServerProcess(["--token-file", file, "--log-level", "trace"])
        let client = SCIMClient(baseURL: server.baseURL, authorization: "Bearer " + Self.secret)
        #expect(try await client.post("/Users", ["userName": "filed@example.com"]).status == 201)
        #expect(try server.lastCommit("%an") == "provisioner")
        #expect(try await SCIMClient(baseURL: server.baseURL, authorization: "Bearer " + Self.secret + "x").get("/Users").status == 401)
        #expect(server.log.contains("API tokens: okta, entra, provisioner"))
        server.stop()
        #expect(!server.log.isEmpty)
        #expect(!server.log.contains(Self.secret))
    }

    @Test func aFileOthersMayReadIsRefusedWithoutShowingItsSecret() throws {
        let folder = TemporaryFolder()
        let file = try Self.tokenFile("provisioner=\(Self.secret)\n", mode: 0o644, in: folder)
        do {
            _ = try ServerProcess(["--token-file", file])
            Issue.record("the server started with a world-readable token file")
        } catch let failure as ServerProcess.ServerFailed {
            #expect(failure.output.contains("the token file \(file) is accessible by group or others (mode 0644)"), "\(failure.output)")
            #expect(failure.output.contains("chmod 600"))
            #expect(!failure.output.contains(Self.secret))
        }
    }

    @Test func aMalformedLineIsNamedWithoutItsSecret() throws {
        let folder = TemporaryFolder()
        let file = try Self.tokenFile("ok=\(Self.secret)\nbroken=\(Self.secret) trailing words\n", mode: 0o600, in: folder)
        do {
            _ = try ServerProcess(["--token-file", file])
            Issue.record("the server started with a malformed token file")
        } catch let failure as ServerProcess.ServerFailed {
            #expect(failure.output.contains("\(file), line 2"), "\(failure.output)")
            #expect(!failure.output.contains(Self.secret))
        }
    }

    @Test func helpSaysThatTokenIsVisibleInPs() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ServerProcess.binary)
        process.arguments = ["serve", "--help"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let help = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let words = help.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("--token <NAME=SECRET> An API token, NAME=SECRET or SECRET (repeatable). Visible to every user of this machine in the process list (ps): prefer --token-file or SCIMGIT_TOKENS."))
        #expect(words.contains("--token-file <FILE>"))
    }
}
