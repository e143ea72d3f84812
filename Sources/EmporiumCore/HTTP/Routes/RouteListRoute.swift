public import Hummingbird

extension RouterMethods where Context == EmporiumRequestContext {
    /// Adds `GET /meta/routes`: every route the component declares, for operators and for the
    /// test that holds the OpenAPI document to what is really served.
    /// - Parameters:
    ///   - routes: The component's declared routes.
    ///   - component: The component's name, reported in the body.
    ///   - loopbackOnly: Whether only a client on this machine may read them (the public gateway's).
    public func addRouteList(_ routes: DeclaredRoutes, component: String, loopbackOnly: Bool) {
        resource("/meta/routes") { list in
            list.get { request, context -> RouteList in
                if loopbackOnly, !MetricsExport.isLoopback(context.remoteAddress) { throw Problem.nothingAt(request) }
                return RouteList(component: component, routes: routes.all)
            }
        }
    }
}

/// The body of `GET /meta/routes`.
public struct RouteList: ResponseCodable, Sendable, Equatable {
    /// The component answering.
    public var component: String
    /// What it serves, ordered by path then method.
    public var routes: [ServedRoute]
}
