import EmporiumCore
import Hummingbird

/// Every route the Payment Service serves, with its handler; every component also answers
/// `/health/…` and `/metrics`. A method a path does not list answers 405 with `Allow`.
struct PaymentServiceRoutes: Sendable {
    let payments: PaymentHandlers
    let admin: AdminPaymentHandlers

    /// Its dead letters, for admins (`/api/v1/admin/dead-letters/payment`).
    let deadLetters: DeadLetterRoutes

    func register(on router: Router<EmporiumRequestContext>) {
        router.resource("/api/v1/payments") { routes in
            routes.get(use: payments.list)
            routes.post(use: payments.pay)
        }
        router.resource("/api/v1/payments/{id}") { routes in
            routes.get(use: payments.show)
        }
        router.resource("/api/v1/admin/payments") { routes in
            routes.get(use: admin.list)
        }
        deadLetters.register(on: router)
    }
}
