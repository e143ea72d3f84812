import EmporiumCore
import Hummingbird

/// Every route the Notification Service serves, with its handler; every component also answers
/// `/health/…` and `/metrics`. A method a path does not list answers 405 with `Allow`.
struct NotificationServiceRoutes: Sendable {
    let notifications: NotificationHandlers

    /// Its dead letters, for admins (`/api/v1/admin/dead-letters/notification`).
    let deadLetters: DeadLetterRoutes

    func register(on router: Router<EmporiumRequestContext>) {
        router.resource("/api/v1/notifications") { routes in
            routes.get(use: notifications.list)
        }
        deadLetters.register(on: router)
    }
}
