import EmporiumCore
import Foundation
import Hummingbird
import JWTKit
import NIOCore

/// `GET /userinfo` (OpenID Connect Core §5.3) and `GET /logout` (RP-Initiated Logout 1.0).
struct SessionEndpoints: Sendable {
    let settings: IdentityProviderSettings
    let accounts: AccountStore
    let refreshTokens: RefreshTokenStore
    let verifier: AccessTokenVerifier

    struct UserInfo: ResponseEncodable {
        var sub: String
        var email: String
        var name: String
        var roles: [String]
    }

    /// The claims of the account a token with the `openid` scope acts for.
    @Sendable func userInfo(_ request: Request, context: EmporiumRequestContext) async throws -> UserInfo {
        let principal = try context.requirePrincipal()
        guard principal.scopes.contains("openid") else {
            throw Problem(.forbidden, detail: "The token was not granted the openid scope.")
        }
        guard let id = UUID(uuidString: principal.subject), let account = try await accounts.find(id: id), !account.disabled else {
            throw Problem(.forbidden, detail: "The token's account no longer exists or is disabled.")
        }
        return UserInfo(sub: principal.subject, email: account.email, name: account.name, roles: account.roleList)
    }

    /// Ends the sign-in an ID token names: its account's refresh tokens for that client are
    /// revoked, and the browser goes back to a registered `post_logout_redirect_uri` with `state`,
    /// or sees a page saying it is signed out.
    @Sendable func logout(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        let query = request.formQuery
        let hint = query["id_token_hint"]
        var client = query["client_id"].flatMap { id in settings.clients.first { $0.id == id } }
        if let hint, let claims = try? await verifier.verifyIDTokenHint(hint) {
            client = client ?? settings.clients.first { claims.aud.value.contains($0.id) }
            if let account = UUID(uuidString: claims.sub.value), let client {
                try await refreshTokens.revokeAll(account: account, client: client.id)
            }
        }
        if let target = query["post_logout_redirect_uri"], let client, client.accepts(redirectURI: target) {
            let location = query["state"].map { AuthorizationRequest.adding(["state": $0], to: target) } ?? target
            return AuthorizationEndpoint.redirect(to: location)
        }
        return AuthorizationEndpoint.html(
            SignInPage.message(title: "Signed out", "You are signed out of Emporium. You may close this page."), status: .ok, formTarget: nil)
    }
}
