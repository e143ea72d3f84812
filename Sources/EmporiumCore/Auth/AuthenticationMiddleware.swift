public import Contracts
public import Hummingbird

/// Verifies the bearer token of every request that carries one and records its ``Principal``
/// in the context; routes then state what they need with ``EmporiumRequestContext/requirePrincipal()``
/// and its siblings.
///
/// A request without a token passes through anonymous (public routes serve it); a request with a
/// bad token is refused with 401 wherever it goes, so that a client learns at once that its token
/// is wrong rather than being served as someone else.
public struct AuthenticationMiddleware: RouterMiddleware {
    /// The verifier every token goes through.
    public let verifier: AccessTokenVerifier

    /// Creates the middleware.
    public init(verifier: AccessTokenVerifier) {
        self.verifier = verifier
    }

    /// Verifies the token, if any, then runs the rest of the chain.
    public func handle(
        _ request: Request,
        context: EmporiumRequestContext,
        next: (Request, EmporiumRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let token = try Self.bearerToken(in: request) {
            context.principal = try await verifier.verify(token)
        }
        return try await next(request, context)
    }

    /// The token of an `Authorization: Bearer` header, nil without the header.
    /// - Throws: ``AuthenticationFailure/invalidToken(reason:)`` for another scheme or an empty token.
    public static func bearerToken(in request: Request) throws(AuthenticationFailure) -> String? {
        try bearerToken(in: request.headers)
    }

    /// The token of an `Authorization: Bearer` header among `headers`, nil without the header.
    /// - Throws: ``AuthenticationFailure/invalidToken(reason:)`` for another scheme or an empty token.
    public static func bearerToken(in headers: HTTPFields) throws(AuthenticationFailure) -> String? {
        guard let header = headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw .invalidToken(reason: "the Authorization header must use the Bearer scheme")
        }
        let token = parts[1].trimmingWhitespace
        guard !token.isEmpty else { throw .invalidToken(reason: "the bearer token is empty") }
        return token
    }
}

extension EmporiumRequestContext {
    /// The caller, who must be authenticated.
    /// - Throws: 401 for an anonymous request.
    public func requirePrincipal() throws(AuthenticationFailure) -> Principal {
        guard let principal else { throw .missingToken }
        return principal
    }

    /// The caller, who must hold `role`.
    /// - Throws: 401 for an anonymous request, 403 without the role.
    public func requireRole(_ role: Role) throws(AuthenticationFailure) -> Principal {
        let principal = try requirePrincipal()
        guard principal.roles.contains(role) else { throw .missingRole(role) }
        return principal
    }

    /// The caller, whose token must grant `scope`.
    /// - Throws: 401 for an anonymous request, 403 without the scope.
    public func requireScope(_ scope: String) throws(AuthenticationFailure) -> Principal {
        let principal = try requirePrincipal()
        guard principal.scopes.contains(scope) else { throw .missingScope(scope) }
        return principal
    }
}
