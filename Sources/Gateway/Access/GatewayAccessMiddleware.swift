import EmporiumCore
import Hummingbird

/// The gateway's edge checks, before a request is forwarded: rate limits, the access token, and
/// the route's ``AccessRule``.
///
/// The identity provider's routes (`/auth/…`) carry OAuth client credentials in `Authorization`,
/// not bearer tokens, so they are left to the provider, as the shop's pages are left to the
/// storefront; the token endpoint has a tighter bucket
/// per IP, against password guessing.
struct GatewayAccessMiddleware: RouterMiddleware {
    let verifier: AccessTokenVerifier
    let limits: RateLimits

    func handle(
        _ request: Request,
        context: EmporiumRequestContext,
        next: (Request, EmporiumRequestContext) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        // Paths the gateway does not route get the router's 404, whoever asks.
        guard let route = GatewayRoute.forwarding(path) else {
            return try await next(request, context)
        }
        let address = context.remoteAddress ?? "unknown"
        if Self.leavesTokensToUpstream(route, path: path) {
            if path == "/auth/token" { try Self.check(limits.tokenEndpoint, key: "ip:" + address) }
            try Self.check(limits.perClient, key: "ip:" + address)
            return try await next(request, context)
        }
        var context = context
        do {
            if let token = try AuthenticationMiddleware.bearerToken(in: request) {
                context.principal = try await verifier.verify(token)
            }
        } catch {
            // Bad tokens count against the address, so that guessing tokens is rate-limited too.
            try Self.check(limits.perClient, key: "ip:" + address)
            throw error
        }
        try Self.check(limits.perClient, key: Self.clientKey(context.principal, address: address))
        switch AccessRule.of(method: request.method, path: path) {
        case .anyone: break
        case .authenticated: _ = try context.requirePrincipal()
        case .role(let role): _ = try context.requireRole(role)
        }
        return try await next(request, context)
    }

    /// Whether the edge lets a request to `path` (forwarded by `route`) through, decided without
    /// waiting: true only when ``handle(_:context:next:)`` would pass it on too, having taken the
    /// same rate-limit token. False when the answer needs a wait (a token not verified before)
    /// or is a refusal: then the request goes through ``handle(_:context:next:)``, which waits
    /// or says why, and a refusal takes no token.
    func admitsAtOnce(method: HTTPRequest.Method, path: String, headers: HTTPFields, address: String, route: GatewayRoute) -> Bool {
        if Self.leavesTokensToUpstream(route, path: path) {
            // The token endpoint takes a body, which the fast path leaves to the router anyway.
            guard path != "/auth/token" else { return false }
            return Self.allows(limits.perClient, key: "ip:" + address)
        }
        guard let token = try? AuthenticationMiddleware.bearerToken(in: headers) else {
            // A malformed Authorization header is refused by the router; no header means anonymous.
            guard headers[.authorization] == nil else { return false }
            return Self.permits(AccessRule.of(method: method, path: path), nil) && Self.allows(limits.perClient, key: "ip:" + address)
        }
        guard let principal = verifier.rememberedPrincipal(for: token), Self.permits(AccessRule.of(method: method, path: path), principal) else {
            return false
        }
        return Self.allows(limits.perClient, key: Self.clientKey(principal, address: address))
    }

    /// A browser's pages carry a cookie, not a token (the storefront checks the session), and the
    /// identity provider's routes carry client credentials: neither is checked for a bearer token.
    private static func leavesTokensToUpstream(_ route: GatewayRoute, path: String) -> Bool {
        route.kind == .web || path == "/auth" || path.hasPrefix("/auth/")
    }

    /// Whose bucket a request takes from: the signed-in user's, or the address's.
    private static func clientKey(_ principal: Principal?, address: String) -> String {
        principal.map { "sub:" + $0.subject } ?? "ip:" + address
    }

    private static func permits(_ rule: AccessRule, _ principal: Principal?) -> Bool {
        switch rule {
        case .anyone: true
        case .authenticated: principal != nil
        case .role(let role): principal?.roles.contains(role) == true
        }
    }

    /// Takes a token when the bucket has one; a refusal takes none.
    private static func allows(_ limiter: TokenBucketLimiter?, key: String) -> Bool {
        guard let limiter else { return true }
        return limiter.take(key) == .allowed
    }

    private static func check(_ limiter: TokenBucketLimiter?, key: String) throws {
        guard let limiter, case .limited(let seconds) = limiter.take(key) else { return }
        throw Problem(.tooManyRequests, detail: "Too many requests; try again in \(seconds) s.", headers: [.retryAfter: String(seconds)])
    }
}

/// The gateway's rate limits; nil disables one.
public struct RateLimits: Sendable {
    /// Every request, per signed-in user or, without a token, per IP address.
    let perClient: TokenBucketLimiter?
    /// `/auth/token`, per IP address.
    let tokenEndpoint: TokenBucketLimiter?

    /// Creates the limits from their settings.
    init(_ settings: RateLimitSettings) {
        perClient = settings.requestsPerSecond > 0 ? TokenBucketLimiter(rate: settings.requestsPerSecond, burst: settings.burst) : nil
        tokenEndpoint =
            settings.tokenRequestsPerMinute > 0
            ? TokenBucketLimiter(rate: settings.tokenRequestsPerMinute / 60, burst: settings.tokenBurst) : nil
    }
}

/// How many requests a client may send.
///
/// Configuration keys, under the `gateway` scope:
/// - `rate-limit.requests-per-second` (number, default 50; 0 turns the limit off), `rate-limit.burst` (int, default 100);
/// - `rate-limit.token-requests-per-minute` (number, default 20; 0 off), `rate-limit.token-burst` (int, default 10).
public struct RateLimitSettings: Sendable, Equatable {
    /// Sustained requests per second per client.
    public var requestsPerSecond: Double
    /// Requests a client may send at once after being idle.
    public var burst: Int
    /// Sustained token requests per minute per IP address.
    public var tokenRequestsPerMinute: Double
    /// Token requests an IP address may send at once.
    public var tokenBurst: Int

    /// Creates settings.
    public init(requestsPerSecond: Double = 50, burst: Int = 100, tokenRequestsPerMinute: Double = 20, tokenBurst: Int = 10) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst
        self.tokenRequestsPerMinute = tokenRequestsPerMinute
        self.tokenBurst = tokenBurst
    }

    /// No limits (benchmarks of raw throughput).
    public static let off = RateLimitSettings(requestsPerSecond: 0, burst: 0, tokenRequestsPerMinute: 0, tokenBurst: 0)
}
