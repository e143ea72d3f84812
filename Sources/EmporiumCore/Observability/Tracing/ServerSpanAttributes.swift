import Hummingbird
package import Tracing

/// The attributes of a request's server span, by OpenTelemetry's HTTP conventions.
package enum ServerSpanAttributes {
    /// What the request says: method, route, path and query, and the id of the order, payment,
    /// user or product its route names (`/api/v1/orders/{id}`).
    static func describe(_ span: some Span, request: Request, route: String) {
        describe(
            span, method: request.method.rawValue, route: route, path: request.uri.path, query: request.uri.query,
            userAgent: request.headers[.userAgent])
    }

    /// What a request says, read from its parts (the gateway's forwarder has no `Request`).
    package static func describe(_ span: some Span, method: String, route: String, path: String, query: String?, userAgent: String?) {
        span.updateAttributes { attributes in
            attributes["http.request.method"] = method
            attributes["http.route"] = route
            attributes["url.path"] = path
            if let query, !query.isEmpty { attributes["url.query"] = query }
            if let userAgent { attributes["user_agent.original"] = userAgent }
            if let (key, id) = subject(route: route, path: path) { attributes[key] = id }
        }
    }

    /// The request id the request is answered with, so that a request is found by it.
    package static func describe(_ span: some Span, requestID: String) {
        span.attributes["emporium.request.id"] = requestID
    }

    /// The path segment standing for the route's first parameter, named by the collection before it.
    static func subject(route: String, path: String) -> (key: String, id: String)? {
        let routeSegments = route.split(separator: "/")
        let pathSegments = path.split(separator: "/")
        guard routeSegments.count == pathSegments.count,
            let index = routeSegments.firstIndex(where: { $0.hasPrefix("{") || $0.hasPrefix(":") }), index > 0
        else { return nil }
        return SpanSubject.attribute(collection: routeSegments[index - 1], id: pathSegments[index])
    }

    /// The answer's status; from 500 on, the span is an error (a 4xx is the client's).
    package static func describe(_ span: some Span, status: Int) {
        span.attributes["http.response.status_code"] = status
        if status >= 500 {
            span.attributes["error.type"] = String(status)
            span.setStatus(SpanStatus(code: .error))
        }
    }
}
