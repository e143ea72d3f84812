public import Foundation
public import JWTKit

/// The claims of an Emporium access token (a JWT, as in RFC 9068).
///
/// The identity provider mints them; every component verifies them with ``AccessTokenVerifier``,
/// which checks the time claims itself (with leeway and an injectable clock) rather than in
/// ``verify(using:)``, so that each rejection says which claim failed.
public struct AccessTokenClaims: JWTPayload, Equatable {
    /// The issuer: the identity provider's issuer URL.
    public var iss: IssuerClaim
    /// The subject: an account id for a person, the client id for a service.
    public var sub: SubjectClaim
    /// The audience: the APIs the token is meant for.
    public var aud: AudienceClaim
    /// When the token stops being valid.
    public var exp: ExpirationClaim
    /// When the token was issued.
    public var iat: IssuedAtClaim
    /// When the token starts being valid.
    public var nbf: NotBeforeClaim
    /// The token's unique id.
    public var jti: IDClaim
    /// The granted scopes, space-separated (RFC 8693 §4.2).
    public var scope: String
    /// The account's roles (`customer`, `admin`); empty for a service.
    public var roles: [String]
    /// The OAuth client the token was issued to.
    public var clientID: String

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, nbf, jti, scope, roles
        case clientID = "client_id"
    }

    /// Creates claims.
    public init(
        issuer: String,
        subject: String,
        audience: [String],
        issuedAt: Date,
        lifetime: Duration,
        id: String,
        scopes: [String],
        roles: [String],
        clientID: String
    ) {
        self.iss = IssuerClaim(value: issuer)
        self.sub = SubjectClaim(value: subject)
        self.aud = AudienceClaim(value: audience)
        self.iat = IssuedAtClaim(value: issuedAt)
        self.nbf = NotBeforeClaim(value: issuedAt)
        self.exp = ExpirationClaim(value: issuedAt.addingTimeInterval(Double(lifetime.components.seconds)))
        self.jti = IDClaim(value: id)
        self.scope = scopes.joined(separator: " ")
        self.roles = roles
        self.clientID = clientID
    }

    /// Does nothing: ``AccessTokenVerifier`` checks every claim, so that it can name the one that failed.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
