import EmporiumCore
import Hummingbird

/// The provider's metadata (OpenID Connect Discovery 1.0 §3) and its JWKS.
struct DiscoveryRoutes: Sendable {
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

    func add(to router: Router<EmporiumRequestContext>) {
        router.resource("/.well-known/openid-configuration") { resource in
            resource.get { _, _ in
                let issuer = try self.issuer.url()
                return Metadata(issuer: issuer, token_endpoint: issuer + "/token", jwks_uri: issuer + "/.well-known/jwks.json")
            }
        }
        router.resource("/.well-known/jwks.json") { resource in
            resource.get { _, _ in
                // Verifiers may cache the keys briefly; a new key is found through its unknown kid anyway.
                EditedResponse(headers: [.cacheControl: "public, max-age=60"], response: await self.keyring.jwks())
            }
        }
    }
}

extension JWKSDocument: ResponseEncodable {}
