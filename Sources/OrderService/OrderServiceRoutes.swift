import EmporiumCore
import Hummingbird

/// Every route the Order Service serves, with its handler; every component also answers
/// `/health/…` and `/metrics`. A method a path does not list answers 405 with `Allow`.
struct OrderServiceRoutes: Sendable {
    let checkout: CheckoutHandler
    let orders: OrderHandlers
    let admin: AdminOrderHandlers

    /// Its dead letters, for admins (`/api/v1/admin/dead-letters/order`).
    let deadLetters: DeadLetterRoutes

    func register(on router: Router<EmporiumRequestContext>) {
        router.resource("/api/v1/orders") { routes in
            routes.get(use: orders.list)
            routes.post(use: checkout.create)
        }
        router.resource("/api/v1/orders/quote") { routes in
            routes.post(use: checkout.quote)
        }
        router.resource("/api/v1/orders/{id}") { routes in
            routes.get(use: orders.show)
        }
        router.resource("/api/v1/orders/{id}/cancel") { routes in
            routes.post(use: orders.cancel)
        }
        router.resource("/api/v1/admin/orders") { routes in
            routes.get(use: admin.list)
        }
        router.resource("/api/v1/admin/orders/{id}") { routes in
            routes.get(use: admin.show)
        }
        deadLetters.register(on: router)
    }
}
