import EmporiumCore
import Hummingbird

/// Every route the identity-provider simulator serves, with its handler; every component also
/// answers `/health/…` and `/metrics`. A method a path does not list answers 405 with `Allow`.
struct IdentityProviderRoutes: Sendable {
    let discovery: DiscoveryHandlers
    let tokens: TokenEndpoint
    let authorization: AuthorizationEndpoint
    let sessions: SessionEndpoints
    let admin: AdminHandlers
    /// Checks the tokens of the admin API's callers: through discovery and the JWKS, as any
    /// resource server does, here its own.
    let adminAuthentication: AccessTokenVerifier

    func register(on router: Router<EmporiumRequestContext>) {
        router.resource("/.well-known/openid-configuration") { routes in
            routes.get(use: discovery.metadata)
        }
        router.resource("/.well-known/jwks.json") { routes in
            routes.get(use: discovery.jwks)
        }
        router.resource("/token") { routes in
            routes.post(use: tokens.respond)
        }
        router.resource("/authorize") { routes in
            routes.get(use: authorization.show)
            routes.post(use: authorization.signIn)
        }
        router.resource("/logout") { routes in
            routes.get(use: sessions.logout)
        }
        let admins = router.group().add(middleware: AuthenticationMiddleware(verifier: adminAuthentication))
        admins.resource("/userinfo") { routes in
            routes.get(use: sessions.userInfo)
        }
        admins.resource("/admin/accounts") { routes in
            routes.post(use: admin.create)
        }
        admins.resource("/admin/accounts/{id}") { routes in
            routes.get(use: admin.show)
            routes.delete(use: admin.delete)
        }
        admins.resource("/admin/accounts/{id}/disable") { routes in
            routes.post(use: admin.disable)
        }
        admins.resource("/admin/keys/rotate") { routes in
            routes.post(use: admin.rotate)
        }
    }
}
