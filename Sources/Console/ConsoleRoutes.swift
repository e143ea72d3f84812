import EmporiumCore
import Hummingbird
import WebSupport

/// Every path the console serves, all under `/console`, which the gateway forwards to it
/// (``GatewayRoute/web``); every component also answers `/health/…` and `/metrics`.
struct ConsoleRoutes: Sendable {
    let pages: ConsolePages
    let signIn: ConsoleSignIn
    let assets: StaticAssets

    func register(on router: Router<EmporiumRequestContext>) {
        router.resource("/console") { routes in
            routes.get(use: pages.page)
        }
        router.resource("/console/graph") { routes in
            routes.get(use: pages.graph)
        }
        router.resource("/console/live") { routes in
            routes.get(use: pages.live)
        }
        router.resource("/console/faults/{simulator}") { routes in
            routes.post(use: pages.changeFaults)
        }
        router.resource("/console/session/signin") { routes in
            routes.get(use: signIn.start)
        }
        router.resource("/console/session/callback") { routes in
            routes.get(use: signIn.finish)
        }
        router.resource("/console/session/signout") { routes in
            routes.post(use: signIn.signOut)
        }
        router.resource("/console/assets/{name}") { routes in
            routes.get { request, context in
                guard let name = context.parameters.get("name"), let response = assets.response(for: name, to: request) else {
                    throw Problem(.notFound, detail: "The console has no file \(context.parameters.get("name") ?? "").")
                }
                return response
            }
        }
    }
}
