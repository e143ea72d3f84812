import EmporiumCore
import Foundation
import Synchronization
import WebSupport

/// The signed-in customer's access token, renewed with their refresh token shortly before it runs
/// out, so that a session outlives its access tokens. A customer whose refresh is refused (signed
/// out elsewhere, or the family revoked) is signed out here too and asked to sign in again.
final class AccessTokens: Sendable {
    /// How long before its expiry a token is renewed, so that it does not expire mid-call.
    static let renewalMargin: Double = 60

    let sessions: SessionStore
    let provider: IdentityProviderClient
    let shop: ShopAPI
    /// Renewals under way in this instance, one per session: a refresh token is good once, and a
    /// second use would revoke the whole family (RFC 9700's reuse detection).
    private let renewals = Mutex<[String: Task<String, any Error>]>([:])

    init(sessions: SessionStore, provider: IdentityProviderClient, shop: ShopAPI) {
        self.sessions = sessions
        self.provider = provider
        self.shop = shop
    }

    /// The public API as the visit's customer; nobody signed in is ``PageError/signInRequired(returnTo:)``.
    func api(for visit: Visit, returnTo: String? = nil) async throws -> CustomerAPI {
        guard let customer = visit.customer else { throw PageError.signInRequired(returnTo: returnTo) }
        return shop.customer(try await token(of: customer, sessionKey: visit.sessionKey, returnTo: returnTo))
    }

    /// The public API as the visit's admin: nobody signed in is
    /// ``PageError/signInRequired(returnTo:)``, a customer who does not run the shop
    /// ``PageError/staffOnly``.
    func adminAPI(for visit: Visit, returnTo: String? = nil) async throws -> AdminAPI {
        guard let customer = visit.customer else { throw PageError.signInRequired(returnTo: returnTo) }
        guard customer.isAdmin else { throw PageError.staffOnly }
        return shop.admin(try await token(of: customer, sessionKey: visit.sessionKey, returnTo: returnTo))
    }

    /// A token of `customer` good for at least the renewal margin.
    func token(of customer: SignedInCustomer, sessionKey: String, returnTo: String?) async throws -> String {
        if customer.accessExpiresAt - Date().timeIntervalSince1970 > Self.renewalMargin { return customer.accessToken }
        guard let refreshToken = customer.refreshToken else {
            try await sessions.signOut(sessionKey: sessionKey)
            throw PageError.signInRequired(returnTo: returnTo)
        }
        let renewal = renewals.withLock { renewals in
            if let running = renewals[sessionKey] { return running }
            let task = Task { [sessions, provider] in
                defer { _ = self.renewals.withLock { $0.removeValue(forKey: sessionKey) } }
                let tokens = try await provider.refresh(refreshToken)
                try await sessions.renew(
                    sessionKey: sessionKey, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken ?? refreshToken,
                    expiresAt: Date().timeIntervalSince1970 + Double(tokens.expiresIn))
                return tokens.accessToken
            }
            renewals[sessionKey] = task
            return task
        }
        do {
            return try await renewal.value
        } catch is IdentityProviderClient.Refused {
            try await sessions.signOut(sessionKey: sessionKey)
            throw PageError.signInRequired(returnTo: returnTo)
        } catch {
            throw PageError.unavailable(cause: "renewing an access token: \(error)")
        }
    }
}
