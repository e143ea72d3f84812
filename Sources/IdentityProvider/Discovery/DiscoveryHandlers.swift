import EmporiumCore
import Hummingbird

/// The provider's metadata (OpenID Connect Discovery 1.0 §3) and its JWKS.
struct DiscoveryHandlers: Sendable {
    let issuer: IssuerLocation
    /// Where browsers reach the sign-in and sign-out pages.
    let publicURL: IssuerLocation
    let keyring: SigningKeyring

    struct Metadata: ResponseEncodable {
        var issuer: String
        var authorization_endpoint: String
        var token_endpoint: String
        var userinfo_endpoint: String
        var end_session_endpoint: String
        var jwks_uri: String
        var grant_types_supported = ["authorization_code", "password", "refresh_token", "client_credentials"]
        var token_endpoint_auth_methods_supported = ["client_secret_basic", "client_secret_post", "none"]
        var response_types_supported = ["code"]
        var response_modes_supported = ["query"]
        var code_challenge_methods_supported = ["S256"]
        var subject_types_supported = ["public"]
        var id_token_signing_alg_values_supported = ["ES256"]
        var scopes_supported = ["openid", "profile"]
        var claims_supported = ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "email", "name", "roles", "scope", "client_id"]
    }

    /// The discovery document. Browsers are sent to the public address; servers call the issuer's.
    @Sendable func metadata(_ request: Request, context: EmporiumRequestContext) async throws -> Metadata {
        let issuer = try self.issuer.url()
        let pages = try publicURL.url()
        return Metadata(
            issuer: issuer, authorization_endpoint: pages + "/authorize", token_endpoint: issuer + "/token",
            userinfo_endpoint: issuer + "/userinfo", end_session_endpoint: pages + "/logout", jwks_uri: issuer + "/.well-known/jwks.json")
    }

    /// The signing keys' public halves.
    @Sendable func jwks(_ request: Request, context: EmporiumRequestContext) async throws -> EditedResponse<JWKSDocument> {
        // Verifiers may cache the keys briefly; a new key is found through its unknown kid anyway.
        EditedResponse(headers: [.cacheControl: "public, max-age=60"], response: await keyring.jwks())
    }
}

extension JWKSDocument: ResponseEncodable {}
