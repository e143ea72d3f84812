public import Hummingbird

/// The handlers of one path, collected so that the methods it lacks answer 405 with `Allow`.
///
/// Hummingbird answers an unmatched method with 404; a client deserves to know the path exists.
public struct ResourceRoutes<Context: RequestContext> {
    typealias Handler = @Sendable (Request, Context) async throws -> Response
    var handlers: [(method: HTTPRequest.Method, handler: Handler)] = []

    /// Handles GET (and HEAD, which Hummingbird derives from it).
    public mutating func get(use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator) {
        add(.get, handler)
    }

    /// Handles POST.
    public mutating func post(use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator) {
        add(.post, handler)
    }

    /// Handles PUT.
    public mutating func put(use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator) {
        add(.put, handler)
    }

    /// Handles PATCH.
    public mutating func patch(use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator) {
        add(.patch, handler)
    }

    /// Handles DELETE.
    public mutating func delete(use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator) {
        add(.delete, handler)
    }

    private mutating func add(_ method: HTTPRequest.Method, _ handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator)
    {
        handlers.append((method, { request, context in try await handler(request, context).response(from: request, context: context) }))
    }
}

extension RouterMethods {
    /// Registers the handlers `configure` declares on `path`; every other method answers 405.
    ///
    /// - Parameters:
    ///   - path: The route path, with parameters as `{name}`.
    ///   - configure: Declares the handlers of the path.
    public func resource(_ path: RouterPath, _ configure: (inout ResourceRoutes<Context>) -> Void) {
        var routes = ResourceRoutes<Context>()
        configure(&routes)
        var allowed = routes.handlers.map(\.method)
        for (method, handler) in routes.handlers {
            on(path, method: method, use: handler)
        }
        if allowed.contains(.get) { allowed.append(.head) }
        let allowHeader = allowed.map(\.rawValue).joined(separator: ", ")
        let others: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete].filter { !allowed.contains($0) }
        for method in others {
            on(path, method: method) { request, _ -> Response in
                throw Problem(
                    .methodNotAllowed,
                    detail: "\(request.method.rawValue) is not allowed here; use \(allowHeader).",
                    headers: [.allow: allowHeader]
                )
            }
        }
    }
}
