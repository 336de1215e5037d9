import HummingbirdTLS

/// The PEM files HTTPS is served with. Okta only connects to `https://` base URLs, so a
/// server reachable without a proxy needs these.
public struct TLSFiles: Sendable, Hashable {
    /// The certificate, optionally followed by its intermediates (PEM).
    public var certificateChainPath: String
    /// The certificate's private key (PEM, unencrypted).
    public var privateKeyPath: String

    public init(certificateChainPath: String, privateKeyPath: String) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
    }

    /// Loads the files into a server TLS configuration (TLS 1.2 at least, as Okta and
    /// Entra require). Errors name the file, never its content.
    func serverConfiguration() throws(SCIMServerConfigurationError) -> TLSConfiguration {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(certificateChainPath)
        } catch {
            throw .init("cannot read the TLS certificate chain \(certificateChainPath): \(error)")
        }
        guard !certificates.isEmpty else {
            throw .init("no PEM certificate found in \(certificateChainPath)")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: privateKeyPath, format: .pem)
        } catch {
            throw .init("cannot read the TLS private key \(privateKeyPath) (PEM, unencrypted): \(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificates.map { .certificate($0) },
            privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }
}
