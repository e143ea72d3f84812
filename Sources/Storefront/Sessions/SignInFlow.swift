import EmporiumCore
import Foundation
import Hummingbird
import JWTKit
import Logging
import WebSupport

/// Sign-in and sign-out through the identity provider's own pages (the code flow with PKCE):
/// the browser never sees a token. `/session/signin` sends it to the provider with a new state,
/// nonce and code challenge; `/session/callback` redeems the code over the back channel, checks
/// the ID token, starts a new session for the customer and keeps the visitor's cart;
/// `/session/signout` ends the session here and at the provider.
struct SignInFlow: Sendable {
    let provider: IdentityProviderClient
    let sessions: SessionStore
    let frame: PageFrame
    let publicURL: @Sendable () -> String?

    private var callbackURL: String { (publicURL() ?? "") + "/session/callback" }

    /// `GET /session/signin?return=/cart`, with `hint=` the address to fill in at the provider.
    @Sendable func start(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.respond(to: request) { visit in
            let returnTo = CartPage.localPath(request.formQuery["return"]) ?? "/"
            if visit.customer != nil { return PageFrame.seeOther(returnTo) }
            let state = SecureRandom.token()
            let nonce = SecureRandom.token()
            let verifier = SecureRandom.token()
            try await sessions.start(state: state, sessionKey: visit.sessionKey, nonce: nonce, codeVerifier: verifier, returnTo: returnTo)
            // An account just registered: the provider's form starts with its address filled in.
            let hint = request.formQuery["hint"].flatMap { !$0.isEmpty && $0.utf8.count <= 254 ? $0 : nil }
            let target = try await reachProvider {
                try await provider.authorizationURL(redirectURI: callbackURL, state: state, nonce: nonce, verifier: verifier, loginHint: hint)
            }
            return PageFrame.seeOther(target)
        }
    }

    /// `GET /session/callback?code=…&state=…`: where the provider sends the browser back.
    @Sendable func finish(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        let visit = try await frame.visits.visit(for: request)
        let query = request.formQuery
        guard let state = query["state"], let pending = try await sessions.finish(state: state),
            pending.sessionHash == visit.sessionKey
        else {
            throw PageError.signInFailed("This sign-in was not started here, or took too long. Please sign in again.")
        }
        if let error = query["error"] {
            context.logger.info("The provider ended a sign-in", metadata: ["error": "\(error)"])
            throw PageError.signInFailed("The sign-in did not complete. Please try again.")
        }
        guard let code = query["code"] else { throw PageError.signInFailed("The sign-in service sent no code back. Please try again.") }
        let (tokens, claims) = try await reachProvider {
            try await provider.redeem(code: code, verifier: pending.codeVerifier, redirectURI: callbackURL, nonce: pending.nonce)
        }
        let now = Date().timeIntervalSince1970
        let customer = SignedInCustomer(
            subject: claims.sub.value, displayName: claims.name, email: claims.email, roles: claims.roles.joined(separator: " "),
            accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, idToken: tokens.idToken ?? "",
            accessExpiresAt: now + Double(tokens.expiresIn), seenAt: now)
        let signedIn = frame.visits.fresh(as: customer)
        try await sessions.signIn(sessionKey: signedIn.sessionKey, as: customer)
        try await frame.carts.merge(visit.cartOwner, into: signedIn.cartOwner)
        context.logger.info("Signed in", metadata: ["subject": "\(customer.subject)"])
        var response = PageFrame.seeOther(pending.returnTo)
        frame.visits.finish(&response, for: signedIn)
        return response
    }

    /// `POST /session/signout`: ends the session, then the provider's sign-in, and comes back to the catalog.
    @Sendable func signOut(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.submit(request, context: context) { visit, _ in
            guard let customer = visit.customer else { return PageFrame.seeOther("/") }
            try await sessions.signOut(sessionKey: visit.sessionKey)
            let signedOut = frame.visits.fresh()
            let target = try await reachProvider {
                try await provider.endSessionURL(returnTo: (publicURL() ?? "") + "/", idTokenHint: customer.idToken)
            }
            var response = PageFrame.seeOther(target)
            frame.visits.finish(&response, for: signedOut)
            return response
        }
    }

    /// Runs a call to the provider; a failure to reach it, or an answer it should not give, is the shop being unavailable.
    private func reachProvider<Result: Sendable>(_ call: () async throws -> Result) async throws -> Result {
        do {
            return try await call()
        } catch {
            throw PageError.unavailable(cause: "the identity provider: \(error)")
        }
    }
}
