import APIContract
import EmporiumCore
import Hummingbird

/// Answers, at the edge and before any token is asked for, a method that the contract does not
/// list for a public path: 405 with the path's `Allow` as the contract states it. A method no
/// public route uses (OPTIONS, TRACE, QUERY…) on any other path is a 404; only the methods in
/// ``forwardedMethods`` ever reach a component.
///
/// The contract can be the judge because the route-coverage test holds it to what the components
/// really serve.
struct ContractMethodsMiddleware: RouterMiddleware {
    /// The methods the gateway forwards: those the public API uses.
    static let forwardedMethods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete]

    let publicRoutes: RouteTable

    /// The middleware for the routes `contract` names.
    init(contract: APIDocument) {
        publicRoutes = RouteTable(contract.operations.map { ServedRoute(method: $0.method, path: $0.path) })
    }

    func handle(
        _ request: Request,
        context: EmporiumRequestContext,
        next: (Request, EmporiumRequestContext) async throws -> Response
    ) async throws -> Response {
        let allowed = publicRoutes.allowedMethods(forPath: request.uri.path)
        if Self.admits(request.method, allowed: allowed) { return try await next(request, context) }
        guard !allowed.isEmpty else { throw Problem.nothingAt(request) }
        let allowHeader = allowed.joined(separator: ", ")
        throw Problem(
            .methodNotAllowed, detail: "\(request.method.rawValue) is not allowed here; use \(allowHeader).", headers: [.allow: allowHeader])
    }

    /// Whether `method` may go on to a path the contract lists `allowed` for.
    static func admits(_ method: HTTPRequest.Method, allowed: [String]) -> Bool {
        allowed.contains(method.rawValue) || (allowed.isEmpty && forwardedMethods.contains(method))
    }

    /// Whether `method` on `path` may go on, without the problem that refuses it.
    func admits(_ method: HTTPRequest.Method, path: String) -> Bool {
        Self.admits(method, allowed: publicRoutes.allowedMethods(forPath: path))
    }
}
