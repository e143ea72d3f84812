import Hummingbird

/// One request's view of the browser's session: its id (new when the browser brought none), the
/// token its forms carry, and its cart.
struct Visit: Sendable {
    /// The session id, which only the cookie holds.
    let sessionID: String
    /// Whether the browser brought no valid session, so the response must set the cookie.
    let isNew: Bool
    /// The CSRF token of every form on the page.
    let formToken: String

    /// Whose cart the page shows and changes.
    var cartOwner: CartOwner { .visitor(sessionKey: SessionCookie.storageKey(of: sessionID)) }
}

/// Finds each request's ``Visit`` and gives new browsers their cookie.
struct Visits: Sendable {
    let tokens: FormTokens
    let idleLifetime: Duration
    /// Whether the shop is reached over HTTPS right now (known once the embedded gateway binds).
    let isSecure: @Sendable () -> Bool

    private var cookie: SessionCookie { SessionCookie(secure: isSecure()) }

    /// The request's visit: its session, or a new one.
    func visit(for request: Request) -> Visit {
        if let id = cookie.sessionID(in: request) {
            return Visit(sessionID: id, isNew: false, formToken: tokens.token(for: id))
        }
        let id = SessionCookie.newSessionID()
        return Visit(sessionID: id, isNew: true, formToken: tokens.token(for: id))
    }

    /// Sets the session cookie on `response` when the visit is new.
    func finish(_ response: inout Response, for visit: Visit) {
        if visit.isNew { response.setCookie(cookie.cookie(for: visit.sessionID, lifetime: idleLifetime)) }
    }

    /// Refuses a state-changing form whose CSRF token is not this session's (a 403 page).
    func requireFormToken(_ token: String?, of visit: Visit) throws {
        guard !visit.isNew, tokens.isValid(token, for: visit.sessionID) else { throw PageError.formExpired }
    }
}
