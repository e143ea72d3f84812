public import Hummingbird

/// The handlers of one path, declared together so that a route table reads one path at a time.
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
    /// Registers the handlers `configure` declares on `path`. Every other method answers 405
    /// with `Allow` (``MethodNotAllowedMiddleware``, from the routes the router declares).
    ///
    /// - Parameters:
    ///   - path: The route path, with parameters as `{name}`.
    ///   - configure: Declares the handlers of the path.
    public func resource(_ path: RouterPath, _ configure: (inout ResourceRoutes<Context>) -> Void) {
        var routes = ResourceRoutes<Context>()
        configure(&routes)
        for (method, handler) in routes.handlers {
            on(path, method: method, use: handler)
        }
    }
}
