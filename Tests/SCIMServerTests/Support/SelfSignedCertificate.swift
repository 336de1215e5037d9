import Foundation

/// A throwaway certificate for `localhost`, made with the `openssl` command at test time.
struct SelfSignedCertificate {
    let certificatePath: String
    let privateKeyPath: String

    init(in directory: TemporaryDirectory) throws {
        certificatePath = directory.path + "/cert.pem"
        privateKeyPath = directory.path + "/key.pem"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "1",
            "-keyout", privateKeyPath, "-out", certificatePath,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("openssl failed with status \(process.terminationStatus)") }
    }
}
