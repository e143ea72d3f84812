import Contracts
public import Foundation
import JWTKit

/// Checks an access token completely: its header (algorithm allow-list, known key), its
/// signature, and its issuer, audience, expiry and not-before claims.
public struct AccessTokenVerifier: Sendable {
    /// Who must have issued the token.
    public let issuer: IssuerLocation
    /// The audience the token must name.
    public let audience: String
    /// How far clocks may disagree.
    public let leeway: Duration
    private let keys: IssuerKeyCache
    private let now: @Sendable () -> Date
    private let verified: VerifiedTokenCache

    /// The most verified tokens a verifier remembers, unless told otherwise.
    public static let defaultVerifiedTokenCapacity = 4096

    /// Creates a verifier.
    /// - Parameters:
    ///   - issuer: The provider's issuer URL, compared with `iss`.
    ///   - audience: The audience `aud` must contain (`emporium`).
    ///   - keys: The provider's keys.
    ///   - leeway: The clock skew tolerated on `exp` and `nbf`.
    ///   - now: The clock, injectable for tests.
    ///   - verifiedTokenCapacity: The most verified tokens it remembers.
    public init(
        issuer: IssuerLocation,
        audience: String,
        keys: IssuerKeyCache,
        leeway: Duration = .seconds(30),
        now: @escaping @Sendable () -> Date = { Date() },
        verifiedTokenCapacity: Int = defaultVerifiedTokenCapacity
    ) {
        self.issuer = issuer
        self.audience = audience
        self.keys = keys
        self.leeway = leeway
        self.now = now
        self.verified = VerifiedTokenCache(capacity: verifiedTokenCapacity)
    }

    /// The principal a token stands for.
    /// - Throws: ``AuthenticationFailure/invalidToken(reason:)`` naming what is wrong, or
    ///   ``AuthenticationFailure/keysUnavailable(reason:)`` if the provider cannot be reached.
    ///
    /// A token verified before and still valid is answered from memory, without checking its
    /// signature again (ADR 32).
    public func verify(_ token: String) async throws(AuthenticationFailure) -> Principal {
        let leeway = Double(leeway.components.seconds)
        if let principal = verified.principal(for: token, at: now(), leeway: leeway) { return principal }
        let claims = try await verifiedSignature(of: token, as: AccessTokenClaims.self)
        try check(claims)
        let principal = Principal(
            subject: claims.sub.value,
            roles: Set(claims.roles.map(Role.init(rawValue:))),
            scopes: Set(claims.scope.split(separator: " ").map(String.init)),
            clientID: claims.clientID,
            accessToken: token
        )
        verified.remember(token, .init(principal: principal, expires: claims.exp.value, notBefore: claims.nbf.value), at: now(), leeway: leeway)
        return principal
    }

    /// How many verified tokens it remembers.
    package var rememberedTokenCount: Int { verified.count }

    /// The principal of a token ``verify(_:)`` has verified and that is still valid, without
    /// waiting for anything; nil for any other token, which must then be verified.
    package func rememberedPrincipal(for token: String) -> Principal? {
        verified.principal(for: token, at: now(), leeway: Double(leeway.components.seconds))
    }

    /// The claims of an ID token the provider issued to `clientID` for the sign-in that sent
    /// `nonce` (OpenID Connect Core §3.1.3.7): signature, issuer, audience, expiry and nonce.
    public func verifyIDToken(_ token: String, clientID: String, nonce: String) async throws(AuthenticationFailure) -> IDTokenClaims {
        let claims = try await verifiedSignature(of: token, as: IDTokenClaims.self)
        guard claims.iss.value == (try issuer.url()) else { throw .invalidToken(reason: "it was issued by someone else") }
        guard claims.aud.value.contains(clientID) else { throw .invalidToken(reason: "it is meant for another client") }
        guard now().timeIntervalSince(claims.exp.value) < Double(leeway.components.seconds) else { throw .invalidToken(reason: "it has expired") }
        guard claims.nonce == nonce else { throw .invalidToken(reason: "its nonce is not the sign-in's") }
        return claims
    }

    /// The claims of an ID token this provider signed, however old (an `id_token_hint` of a
    /// sign-out): signature and issuer only.
    public func verifyIDTokenHint(_ token: String) async throws(AuthenticationFailure) -> IDTokenClaims {
        let claims = try await verifiedSignature(of: token, as: IDTokenClaims.self)
        guard claims.iss.value == (try issuer.url()) else { throw .invalidToken(reason: "it was issued by someone else") }
        return claims
    }

    /// The payload of `token` once its header and signature check out against the provider's keys.
    private func verifiedSignature<Payload: JWTPayload>(of token: String, as type: Payload.Type) async throws(AuthenticationFailure) -> Payload {
        let header = try TokenHeader(token: token)
        guard header.alg != "none" else { throw .invalidToken(reason: "unsigned tokens are not accepted") }
        guard IssuerKeyCache.allowedAlgorithms.contains(header.alg) else {
            throw .invalidToken(reason: "the algorithm \(header.alg) is not accepted")
        }
        guard let kid = header.kid else { throw .invalidToken(reason: "it names no signing key (kid)") }
        let keySet = try await keys.keys(holding: kid)
        guard keySet.algorithms[kid] == header.alg else {
            throw .invalidToken(reason: "the algorithm \(header.alg) does not match its key")
        }
        do {
            return try await keySet.collection.verify(token, as: Payload.self)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw .invalidToken(reason: "its signature does not verify")
        } catch {
            throw .invalidToken(reason: "its claims cannot be read")
        }
    }

    private func check(_ claims: AccessTokenClaims) throws(AuthenticationFailure) {
        guard claims.iss.value == (try issuer.url()) else { throw .invalidToken(reason: "it was issued by someone else") }
        guard claims.aud.value.contains(audience) else { throw .invalidToken(reason: "it is meant for another audience") }
        let now = self.now()
        let leeway = Double(leeway.components.seconds)
        guard now.timeIntervalSince(claims.exp.value) < leeway else { throw .invalidToken(reason: "it has expired") }
        guard claims.nbf.value.timeIntervalSince(now) <= leeway else { throw .invalidToken(reason: "it is not valid yet") }
    }
}

/// The JOSE header of a compact JWS, read before anything is trusted.
struct TokenHeader: Decodable {
    var alg: String
    var kid: String?
    var crit: [String]?

    init(token: String) throws(AuthenticationFailure) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[2].isEmpty, let data = Base64URL.decode(parts[0]),
            let header = try? JSONDecoder().decode(TokenHeader.self, from: data)
        else {
            throw .invalidToken(reason: "it is not a signed JWT")
        }
        // RFC 7515 §4.1.11: a critical extension this verifier does not know must be refused.
        guard header.crit == nil else { throw .invalidToken(reason: "it has critical header parameters") }
        self = header
    }
}
