import AsyncKit
public import Hummingbird
import Logging

/// Turns every error thrown below it into an RFC 9457 response.
///
/// Known errors keep their status and say what went wrong; anything unexpected becomes a 500
/// whose body says nothing about internals, while the log keeps the whole error.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    /// Runs the rest of the chain, mapping any error it throws to a problem response.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Self.problem(for: error, request: request)
            if problem.kind == .internalError {
                context.logger.error("Unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            }
            return try problem.response(from: request, context: context)
        }
    }

    /// The problem that `error` stands for: the one mapping of errors to statuses, which the
    /// storefront's error pages use too.
    public static func problem(for error: any Error, request: Request) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let failure as AuthenticationFailure:
            return failure.problem
        case let open as CircuitOpen:
            return open.problem
        case let failure as DependencyFailure:
            return failure.problem
        case let decoding as DecodingError:
            return decoding.problem
        case let http as HTTPError:
            return problem(for: http, request: request)
        case is DatabaseBusy, is ConnectionPoolTimeoutError:
            // Overload, not a fault: the client should come back shortly (its Idempotency-Key
            // makes a retried write safe).
            return Problem(
                .serviceUnavailable, detail: "The service is too busy to take this request now. Try again shortly.", headers: [.retryAfter: "1"])
        case let other as any HTTPResponseError where other.status.code < 500:
            return Problem(.generic(other.status))
        default:
            return Problem(.internalError, detail: "The request failed unexpectedly; the request id finds it in the logs.")
        }
    }

    private static func problem(for error: HTTPError, request: Request) -> Problem {
        switch error.status {
        case .notFound:
            return Problem.nothingAt(request)
        case .contentTooLarge:
            return Problem(.bodyTooLarge, detail: "The request body exceeds the size limit.")
        case .badRequest:
            return Problem(.badRequest, detail: error.body)
        case let status where status.code >= 500:
            return Problem(.generic(status))
        case let status:
            return Problem(.generic(status), detail: error.body, headers: error.headers)
        }
    }
}

extension Problem {
    /// The 404 of a path nobody serves.
    public static func nothingAt(_ request: Request) -> Problem {
        Problem(.notFound, detail: "There is nothing at \(request.method.rawValue) \(request.uri.path).")
    }
}
