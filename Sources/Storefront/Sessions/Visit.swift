import Hummingbird

/// One request's view of the browser's session: its id (new when the browser brought none), the
/// token its forms carry, who is signed in, and whose cart it shows.
struct Visit: Sendable {
    /// The session id, which only the cookie holds.
    let sessionID: String
    /// Whether the browser brought no valid session, so the response must set the cookie.
    let isNew: Bool
    /// The CSRF token of every form on the page.
    let formToken: String
    /// Who the session is signed in as, if anyone.
    let customer: SignedInCustomer?
    /// The page asked for (path and query) when it is one a browser can come back to with a GET;
    /// the catalog otherwise. The header's sign-in link returns there.
    var page: String = "/"

    /// What the database knows the session by.
    var sessionKey: String { SessionCookie.storageKey(of: sessionID) }

    /// Whose cart the page shows and changes: the customer's once signed in.
    var cartOwner: CartOwner { customer.map { .customer($0.subject) } ?? .visitor(sessionKey: sessionKey) }
}

/// Finds each request's ``Visit`` and gives new browsers their cookie.
struct Visits: Sendable {
    let tokens: FormTokens
    let sessions: SessionStore
    /// Whether the shop is reached over HTTPS right now (known once the embedded gateway binds).
    let isSecure: @Sendable () -> Bool

    private var cookie: SessionCookie { SessionCookie(secure: isSecure()) }

    /// The request's visit: its session, or a new one.
    func visit(for request: Request) async throws -> Visit {
        var visit: Visit
        if let id = cookie.sessionID(in: request) {
            let customer = try await sessions.customer(sessionKey: SessionCookie.storageKey(of: id))
            visit = Visit(sessionID: id, isNew: false, formToken: tokens.token(for: id), customer: customer)
        } else {
            visit = fresh()
        }
        if request.method == .get, let page = CartPage.localPath(request.uri.description), !page.hasPrefix("/session/") {
            visit.page = page
        }
        return visit
    }

    /// A new session, unknown to the browser until ``finish(_:for:)`` sets its cookie: for a
    /// first visit, and at every sign-in and sign-out, so that an id seen before a sign-in is
    /// worth nothing after it (session fixation).
    func fresh(as customer: SignedInCustomer? = nil) -> Visit {
        let id = SessionCookie.newSessionID()
        return Visit(sessionID: id, isNew: true, formToken: tokens.token(for: id), customer: customer)
    }

    /// Sets the session cookie on `response` when the visit is new.
    func finish(_ response: inout Response, for visit: Visit) {
        if visit.isNew { response.setCookie(cookie.cookie(for: visit.sessionID, lifetime: sessions.idleLifetime)) }
    }

    /// Refuses a state-changing form whose CSRF token is not this session's (a 403 page).
    func requireFormToken(_ token: String?, of visit: Visit) throws {
        guard !visit.isNew, tokens.isValid(token, for: visit.sessionID) else { throw PageError.formExpired }
    }
}
