import EmporiumCore
import Hummingbird

/// The provider's metadata (OpenID Connect Discovery 1.0 §3) and its JWKS.
struct DiscoveryHandlers: Sendable {
    let issuer: IssuerLocation
    let keyring: SigningKeyring

    struct Metadata: ResponseEncodable {
        var issuer: String
        var token_endpoint: String
        var jwks_uri: String
        var grant_types_supported = ["password", "refresh_token", "client_credentials"]
        var token_endpoint_auth_methods_supported = ["client_secret_basic", "client_secret_post", "none"]
        var response_types_supported = ["token"]
        var subject_types_supported = ["public"]
        var id_token_signing_alg_values_supported = ["ES256"]
        var scopes_supported = ["openid", "profile"]
        var claims_supported = ["iss", "sub", "aud", "exp", "iat", "nbf", "jti", "scope", "roles", "client_id"]
    }

    /// The discovery document.
    @Sendable func metadata(_ request: Request, context: EmporiumRequestContext) async throws -> Metadata {
        let issuer = try self.issuer.url()
        return Metadata(issuer: issuer, token_endpoint: issuer + "/token", jwks_uri: issuer + "/.well-known/jwks.json")
    }

    /// The signing keys' public halves.
    @Sendable func jwks(_ request: Request, context: EmporiumRequestContext) async throws -> EditedResponse<JWKSDocument> {
        // Verifiers may cache the keys briefly; a new key is found through its unknown kid anyway.
        EditedResponse(headers: [.cacheControl: "public, max-age=60"], response: await keyring.jwks())
    }
}

extension JWKSDocument: ResponseEncodable {}
