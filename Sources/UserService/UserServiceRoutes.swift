import EmporiumCore
import Hummingbird

/// Every route the User Service serves, with its handler; every component also answers
/// `/health/…` and `/metrics`. A method a path does not list answers 405 with `Allow`.
struct UserServiceRoutes: Sendable {
    let profiles: ProfileHandlers

    /// Its dead letters, for admins (`/api/v1/admin/dead-letters/user`).
    let deadLetters: DeadLetterRoutes

    func register(on router: Router<EmporiumRequestContext>) {
        router.resource("/api/v1/users") { routes in
            routes.post(use: profiles.registerUser)
            routes.get(use: profiles.list)
        }
        router.resource("/api/v1/users/me") { routes in
            routes.get(use: profiles.me)
            routes.patch(use: profiles.update)
        }
        deadLetters.register(on: router)
    }
}
