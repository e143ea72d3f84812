import EmporiumCore
import Hummingbird
import WebSupport

/// What every page handler shares: the templates, the visitor's session and the header's cart
/// count.
struct PageFrame: Sendable {
    let renderer: PageRenderer
    let visits: Visits
    let carts: CartStore

    /// Runs `page` for the request's visit, and sets the session cookie on whatever it answers.
    func respond(to request: Request, _ page: (Visit) async throws -> Response) async throws -> Response {
        let visit = try await visits.visit(for: request)
        var response = try await page(visit)
        visits.finish(&response, for: visit)
        return response
    }

    /// Runs a form's `action` once its CSRF token has been checked, for the request's visit.
    func submit(
        _ request: Request, context: EmporiumRequestContext, _ action: (Visit, SubmittedForm) async throws -> Response
    ) async throws -> Response {
        let visit = try await visits.visit(for: request)
        let form = try await SubmittedForm.read(request, context: context)
        try visits.requireFormToken(form["csrf"], of: visit)
        return try await action(visit, form)
    }

    /// Runs an upload form's `action` (`multipart/form-data`) once its CSRF token has been checked.
    func submitUpload(
        _ request: Request, context: EmporiumRequestContext, _ action: (Visit, MultipartForm) async throws -> Response
    ) async throws -> Response {
        let visit = try await visits.visit(for: request)
        let form = try await MultipartForm.read(request, context: context)
        try visits.requireFormToken(form["csrf"], of: visit)
        return try await action(visit, form)
    }

    /// The frame of a page titled `title`.
    func chrome(title: String, visit: Visit) async throws -> PageChrome {
        let count = visit.isNew && visit.customer == nil ? 0 : try await carts.unitCount(of: visit.cartOwner)
        return PageChrome(title: title, formToken: visit.formToken, cartCount: count, customer: visit.customer, page: visit.page)
    }

    /// A redirect after a form, so that reloading the page does not send it again (303 See Other).
    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}
