public import Foundation
public import JWTKit

/// An OpenID Connect ID token's claims (OpenID Connect Core 1.0 §2): who signed in, for which
/// client, when, and the `nonce` that ties the token to the sign-in that asked for it.
public struct IDTokenClaims: JWTPayload, Equatable {
    /// The issuer: the identity provider's issuer URL.
    public var iss: IssuerClaim
    /// The account's id.
    public var sub: SubjectClaim
    /// The client the sign-in was for.
    public var aud: AudienceClaim
    /// When the token stops being valid.
    public var exp: ExpirationClaim
    /// When the token was issued.
    public var iat: IssuedAtClaim
    /// When the person entered their credentials, in Unix seconds.
    public var authTime: Int
    /// The client's value from the authorization request, echoed.
    public var nonce: String?
    /// The account's e-mail address.
    public var email: String
    /// The account's display name.
    public var name: String
    /// The account's roles (`customer`, `admin`).
    public var roles: [String]

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, nonce, email, name, roles
        case authTime = "auth_time"
    }

    /// Creates claims.
    public init(
        issuer: String, subject: String, clientID: String, issuedAt: Date, lifetime: Duration, authTime: Int, nonce: String?, email: String,
        name: String, roles: [String]
    ) {
        iss = IssuerClaim(value: issuer)
        sub = SubjectClaim(value: subject)
        aud = AudienceClaim(value: [clientID])
        iat = IssuedAtClaim(value: issuedAt)
        exp = ExpirationClaim(value: issuedAt.addingTimeInterval(Double(lifetime.components.seconds)))
        self.authTime = authTime
        self.nonce = nonce
        self.email = email
        self.name = name
        self.roles = roles
    }

    /// Does nothing: ``AccessTokenVerifier/verifyIDToken(_:clientID:nonce:)`` checks every claim,
    /// so that it can name the one that failed.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
