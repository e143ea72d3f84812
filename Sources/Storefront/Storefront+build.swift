import Contracts
public import EmporiumCore
public import Hummingbird
public import Logging
import WebSupport

/// Builds the storefront: the shop's web pages, rendered on the server, calling the public API
/// through the gateway like any other client (with the client generated from its contract). Its
/// own database holds carts, so that any number of instances serve the same visitors.
///
/// - Routes: ``StorefrontRoutes``.
/// - Calls: the gateway's public API (`listProducts`, `getProduct`, `registerUser`; as the
///   signed-in customer `getMyProfile`, `updateMyProfile`, `quoteOrder`, `createOrder`, `getOrder`,
///   `listOrders`, `payOrder`, `cancelOrder`, `listPayments`, `listNotifications`; as an admin, in
///   the back office, `createProduct`, `updateProduct`, `deleteProduct`, `addProductImage`,
///   `deleteProductImage`, `listAllOrders`,
///   `getAnyOrder`, `listOrderPayments`, `listUsers`); the identity provider's discovery, token endpoint
///   (code and refresh-token grants) and keys.
/// - Publishes and consumes no events.
///
/// Configuration: ``StorefrontSettings`` under the `storefront` scope.
/// - Parameters:
///   - settings: Where it listens, its database, the gateway and the session secret.
///   - logger: The base logger.
///   - onStarted: Told the bound port once the server listens.
public func buildStorefront(
    settings: StorefrontSettings,
    logger: Logger? = nil,
    onStarted: ServerStartedHandler? = nil
) async throws -> ComponentApplication {
    let server = try ComponentServer(component: Component.storefront.rawValue, settings: settings.server, logger: logger)
    let database = try await ServiceDatabase.open(
        settings.database, migrations: [CreateCartLines(), CreateSessions()], tracer: server.tracer, logger: server.logger)
    let renderer: PageRenderer
    let assets: StaticAssets
    do {
        renderer = try await PageRenderer.load(from: .module)
        assets = try StaticAssets.load(from: .module)
    } catch {
        await database.close()
        throw error
    }
    let api = ShopAPI(gateway: settings.gateway)
    let publicURL = settings.publicURL
    let sessions = SessionStore(database: database, idleLifetime: settings.sessionIdleLifetime)
    let visits = Visits(
        tokens: FormTokens(secret: settings.sessionSecret),
        sessions: sessions,
        isSecure: { publicURL()?.hasPrefix("https://") ?? false }
    )
    let frame = PageFrame(renderer: renderer, visits: visits, carts: CartStore(database: database))
    let http = OutboundHTTPClient(for: server, timeout: .seconds(10))
    let provider = IdentityProviderClient(
        auth: settings.auth, credentials: settings.client, http: http, verifier: settings.auth.makeVerifier(client: http, logger: server.logger))

    let tokens = AccessTokens(sessions: sessions, provider: provider, shop: api)

    // The back office's picture form carries a file, larger than the limit every other form keeps.
    let router = server.makeRouter(
        readiness: [database.readinessCheck],
        uploads: [UploadRoute(method: .post, path: ProductImage.formUploadPath, maxBodyBytes: ProductImage.formUploadMaxBytes)])
    router.add(middleware: SecurityHeaders())
    router.add(middleware: ErrorPages(frame: frame, routes: server.routes))
    StorefrontRoutes(
        catalog: CatalogPage(api: api, categories: CategoryList(api: api), frame: frame),
        product: ProductPage(api: api, frame: frame),
        cart: CartPage(api: api, frame: frame),
        checkout: CheckoutPage(api: api, tokens: tokens, frame: frame),
        order: OrderPage(tokens: tokens, frame: frame),
        orders: OrdersPage(tokens: tokens, frame: frame),
        account: AccountPage(tokens: tokens, frame: frame, sessions: sessions),
        notifications: NotificationsPage(tokens: tokens, frame: frame),
        registration: RegistrationPage(api: api, frame: frame),
        adminProducts: AdminProductsPage(tokens: tokens, frame: frame),
        adminOrders: AdminOrdersPage(tokens: tokens, frame: frame),
        adminCustomers: AdminCustomersPage(tokens: tokens, frame: frame),
        signIn: SignInFlow(provider: provider, sessions: sessions, frame: frame, publicURL: publicURL),
        assets: assets
    ).register(on: router)

    let sweeper = SessionSweeper(database: database, idleLifetime: settings.sessionIdleLifetime)
    return server.makeApplication(
        router: router,
        services: ComponentServices(
            database: database, clients: [http],
            duties: [WakeableLoop(name: "session-sweeper", interval: .seconds(3600), logger: server.logger, pass: sweeper.pass)]),
        onStarted: onStarted
    )
}
