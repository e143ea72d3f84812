import EmporiumCore
import Foundation
import Hummingbird
import JWTKit
import Logging
import WebSupport

/// Sign-in and sign-out through the identity provider's own pages (the code flow with PKCE), as
/// the storefront does it, with the console's own client: `/console/session/signin` sends the
/// browser to the provider with a new state, nonce and code challenge kept in a sealed cookie;
/// `/console/session/callback` redeems the code over the back channel, checks the ID token and
/// seals the session into the console's cookie; `/console/session/signout` ends it here and at
/// the provider.
struct ConsoleSignIn: Sendable {
    let provider: IdentityProviderClient
    let access: ConsoleAccess
    let pending: SealedCookie<PendingSignIn>
    let renderer: PageRenderer
    let publicURL: @Sendable () -> String?

    private var callbackURL: String { (publicURL() ?? "") + "/console/session/callback" }

    /// `GET /console/session/signin?return=/console`.
    @Sendable func start(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        let returnTo = ConsoleAccess.localPath(request.formQuery["return"]) ?? "/console"
        if access.session(in: request) != nil { return ConsoleAccess.seeOther(returnTo) }
        let signIn = PendingSignIn(
            state: SecureRandom.token(), nonce: SecureRandom.token(), codeVerifier: SecureRandom.token(), returnTo: returnTo,
            expiresAt: Date().timeIntervalSince1970 + Double(PendingSignIn.lifetime.components.seconds))
        let target = try await reachProvider {
            try await provider.authorizationURL(redirectURI: callbackURL, state: signIn.state, nonce: signIn.nonce, verifier: signIn.codeVerifier)
        }
        var response = ConsoleAccess.seeOther(target)
        response.setCookie(try pending.cookie(signIn, lifetime: PendingSignIn.lifetime))
        return response
    }

    /// `GET /console/session/callback?code=…&state=…`: where the provider sends the browser back.
    @Sendable func finish(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        let query = request.formQuery
        guard let signIn = pending.value(in: request), signIn.expiresAt > Date().timeIntervalSince1970, query["state"] == signIn.state else {
            return try failed("This sign-in was not started here, or took too long. Please sign in again.")
        }
        if let error = query["error"] {
            context.logger.info("The provider ended a console sign-in", metadata: ["error": "\(error)"])
            return try failed("The sign-in did not complete. Please try again.")
        }
        guard let code = query["code"] else { return try failed("The sign-in service sent no code back. Please try again.") }
        let (tokens, claims) = try await reachProvider {
            try await provider.redeem(code: code, verifier: signIn.codeVerifier, redirectURI: callbackURL, nonce: signIn.nonce)
        }
        let session = ConsoleSession(
            subject: claims.sub.value, name: claims.name, roles: claims.roles,
            expiresAt: Date().timeIntervalSince1970 + Double(ConsoleSession.lifetime.components.seconds),
            accessToken: tokens.accessToken, accessExpiresAt: Date().timeIntervalSince1970 + Double(tokens.expiresIn),
            refreshToken: tokens.refreshToken)
        context.logger.info("Signed in to the console", metadata: ["subject": "\(session.subject)", "admin": "\(session.isAdmin)"])
        var response = ConsoleAccess.seeOther(signIn.returnTo)
        response.setCookie(pending.expired)
        response.setCookie(try access.sessions.cookie(session, lifetime: ConsoleSession.lifetime))
        return response
    }

    /// `POST /console/session/signout`: ends the session here, then at the provider; not for a
    /// form another site posts (which would sign the admin out behind their back).
    @Sendable func signOut(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try access.requireSameSite(request, publicURL: publicURL())
        let target = try await reachProvider { try await provider.endSessionURL(returnTo: (publicURL() ?? "") + "/") }
        var response = ConsoleAccess.seeOther(target)
        response.setCookie(access.sessions.expired)
        return response
    }

    private func failed(_ text: String) throws -> Response {
        try renderer.page(
            "message", MessagePage(title: "Sign-in failed", heading: "The sign-in did not complete", text: text, signedIn: false),
            status: .badRequest)
    }

    /// Runs a call to the provider; a failure to reach it is the console being unavailable.
    private func reachProvider<Result: Sendable>(_ call: () async throws -> Result) async throws -> Result {
        do {
            return try await call()
        } catch {
            throw Problem(.serviceUnavailable, detail: "The identity provider cannot be reached: \(error)", headers: [.retryAfter: "5"])
        }
    }
}
