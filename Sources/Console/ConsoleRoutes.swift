import EmporiumCore
import Hummingbird
import WebSupport

/// Every path the console serves: its pages under `/console`, which the gateway forwards to it
/// (``GatewayRoute/web``), and its OTLP receiver at `/v1/traces`, which components reach on the
/// console's own port (the gateway does not forward it); every component also answers
/// `/health/…` and `/metrics`.
struct ConsoleRoutes: Sendable {
    let pages: ConsolePages
    let signIn: ConsoleSignIn
    let traces: TracePages
    let deadLetters: DeadLetterPages
    let receiver: TraceReceiver
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
        router.resource("/console/traces") { routes in
            routes.get(use: traces.list)
        }
        router.resource("/console/traces/{id}") { routes in
            routes.get(use: traces.trace)
        }
        router.resource("/console/dead-letters") { routes in
            routes.get(use: deadLetters.list)
        }
        router.resource("/console/dead-letters/{service}/{id}") { routes in
            routes.get(use: deadLetters.show)
        }
        router.resource("/console/dead-letters/{service}/{id}/replay") { routes in
            routes.post(use: deadLetters.replay)
        }
        router.resource("/console/dead-letters/{service}/{id}/discard") { routes in
            routes.post(use: deadLetters.discard)
        }
        router.resource(RouterPath(stringLiteral: TraceReceiver.path)) { routes in
            routes.post(use: receiver.receive)
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
