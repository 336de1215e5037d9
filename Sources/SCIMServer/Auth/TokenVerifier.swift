/// Maps an API token presented in `Authorization` to the name of the client it was issued
/// to. The name becomes `RequestContext.client`: the commit author and `SCIM-Client`
/// trailer of every write the client makes.
///
/// A protocol because tokens come from two places that must behave the same: secrets given
/// on the command line or in `SCIMGIT_TOKENS` (`ConfiguredTokenVerifier`) and tokens issued
/// with `scimgit token add` (`TokenStore`). Implementations keep only salted hashes and
/// compare in constant time.
public protocol TokenVerifier: Sendable {
    /// The name of the token `presented` is, or nil when it is none of them.
    func verify(_ presented: String) -> String?
}
