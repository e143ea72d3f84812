import EmporiumCore
import Testing

/// The methods a 405's `Allow` lists are those of the route the router would pick.
@Suite struct RouteTableTests {
    let table = RouteTable([
        ServedRoute(method: "GET", path: "/api/v1/orders"), ServedRoute(method: "POST", path: "/api/v1/orders"),
        ServedRoute(method: "POST", path: "/api/v1/orders/quote"), ServedRoute(method: "GET", path: "/api/v1/orders/{id}"),
        ServedRoute(method: "POST", path: "/api/v1/orders/{id}/cancel"), ServedRoute(method: "GET", path: "/docs/**"),
    ])

    @Test func aLiteralSegmentWinsOverAParameter() {
        #expect(table.allowedMethods(forPath: "/api/v1/orders/quote") == ["POST"])
        #expect(table.allowedMethods(forPath: "/api/v1/orders/0f0e") == ["GET", "HEAD"])
        #expect(table.allowedMethods(forPath: "/api/v1/orders/quote/cancel") == ["POST"])
    }

    @Test func pathsNoRouteMatchesAllowNothing() {
        #expect(table.allowedMethods(forPath: "/api/v1/orderz").isEmpty)
        #expect(table.allowedMethods(forPath: "/api/v1/orders/a/b").isEmpty)
        #expect(table.allowedMethods(forPath: "/docs/a/b") == ["GET", "HEAD"])
    }
}
