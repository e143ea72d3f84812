import EmporiumCore
import HTTPTypes
import Hummingbird
import Logging
import WebSupport

/// Turns every error of a page into a page: a plain heading and message with the shop's header,
/// never a stack trace or a problem document. Statuses are those the errors stand for.
struct ErrorPages: RouterMiddleware {
    typealias Context = EmporiumRequestContext

    let frame: PageFrame
    /// What the router serves: a path it serves with other methods is left to the 405 of
    /// ``ComponentServer``'s middleware, which says which methods to use.
    let routes: DeclaredRoutes

    struct Values: Sendable {
        var chrome: PageChrome
        var heading: String
        var message: String
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && !routes.allowedMethods(forPath: request.uri.path).isEmpty {
            throw error
        } catch PageError.signInRequired(let returnTo) {
            // After a form, come back to the page it was on; after a page, to that page.
            let target = CartPage.localPath(returnTo) ?? (request.method == .get ? request.uri.description : "/")
            return PageFrame.seeOther("/session/signin?" + FormEncoding.encode(["return": target]))
        } catch {
            let (status, heading, message) = Self.describe(error, request: request, logger: context.logger)
            // The frame needs the database, which may be what failed: the page goes on without it.
            let visit = (try? await frame.visits.visit(for: request)) ?? frame.visits.fresh()
            let chrome =
                (try? await frame.chrome(title: heading, visit: visit)) ?? PageChrome(title: heading, formToken: visit.formToken, cartCount: 0)
            var response = try frame.renderer.page("error", Values(chrome: chrome, heading: heading, message: message), status: status)
            if let retryAfter = (error as? Problem)?.headers[.retryAfter] { response.headers[.retryAfter] = retryAfter }
            return response
        }
    }

    /// The status, heading and message of the page for `error`.
    static func describe(_ error: any Error, request: Request, logger: Logger) -> (HTTPResponse.Status, String, String) {
        if let page = error as? PageError {
            if case .unavailable(let cause) = page { logger.warning("The public API could not be used", metadata: ["error": "\(cause)"]) }
            return (page.status, page.title, page.message)
        }
        if let problem = error.apiProblem {
            switch problem.status {
            case 404: return describe(PageError.notFound(what: "that"), request: request, logger: logger)
            case 429: return (.tooManyRequests, "Too many requests", "You are going a little fast. Wait a moment, then try again.")
            default:
                logger.warning("The public API refused a call", metadata: ["status": "\(problem.status)", "detail": "\(problem.detail)"])
                return describe(PageError.unavailable(cause: problem.detail), request: request, logger: logger)
            }
        }
        let problem = ProblemMiddleware<Context>.problem(for: error, request: request)
        switch problem.status.code {
        case 404: return (.notFound, "Not found", "There is no page at this address. It may have moved, or the address may be mistyped.")
        case 500...:
            if problem.kind == .internalError { logger.error("Unhandled error", metadata: ["error": "\(String(reflecting: error))"]) }
            return (problem.status, "Something went wrong", "The page could not be shown. Please try again in a moment.")
        default:
            return (problem.status, problem.status.reasonPhrase, problem.detail ?? "The request could not be handled.")
        }
    }
}
