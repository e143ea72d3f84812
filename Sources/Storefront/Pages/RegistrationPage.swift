import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import WebSupport

/// `/register`: a visitor opens an account (the public API's `registerUser`, which also sends
/// the welcome e-mail), then signs in at the provider's page with the address already filled in.
/// The API judges the name, address and password; each refusal shows beside its field.
struct RegistrationPage: Sendable {
    let api: ShopAPI
    let frame: PageFrame

    struct Values: Sendable {
        var chrome: PageChrome
        var fields: [FormField]
        var returnTo: String
        var notice: String?
        /// The sign-in link, which comes back to the same page.
        var signInLink: String { "/session/signin?" + FormEncoding.encode(["return": returnTo]) }
    }

    /// `GET /register`; a signed-in customer has an account already.
    @Sendable func show(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.respond(to: request) { visit in
            if visit.customer != nil { return PageFrame.seeOther("/account") }
            let returnTo = CartPage.localPath(request.formQuery["return"]) ?? "/"
            return try await form(for: visit, fields: Self.fields { _ in nil }, returnTo: returnTo)
        }
    }

    /// `POST /register`.
    @Sendable func register(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.submit(request, context: context) { visit, submitted in
            let returnTo = CartPage.localPath(submitted["return"]) ?? "/"
            var fields = Self.fields { submitted[$0] }
            let value = { (name: String) in fields.first { $0.name == name }?.value.trimmingWhitespace ?? "" }
            do {
                _ = try await api.register(email: value("email"), password: submitted["password"] ?? "", name: value("name"))
            } catch let problem as APIProblem where [400, 409, 422].contains(problem.status) {
                let index = fields.firstIndex { $0.name == problem.field }
                if let index { fields[index].error = Self.reword(problem) }
                return try await form(
                    for: visit, fields: fields, returnTo: returnTo, notice: index == nil ? problem.detail : nil,
                    status: HTTPResponse.Status(code: problem.status))
            }
            context.logger.info("An account was registered from the storefront")
            return PageFrame.seeOther("/session/signin?" + FormEncoding.encode(["return": returnTo, "hint": value("email")]))
        }
    }

    private func form(
        for visit: Visit, fields: [FormField], returnTo: String, notice: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let values = Values(
            chrome: try await frame.chrome(title: "Create an account", visit: visit), fields: fields, returnTo: returnTo, notice: notice)
        return try frame.renderer.page("register", values, status: status)
    }

    /// The form's fields, filled from `values`.
    static func fields(_ values: (String) -> String?) -> [FormField] {
        [
            FormField(name: "name", label: "Your name", value: values("name") ?? "", autocomplete: "name", isRequired: true, form: "register"),
            FormField(
                name: "email", label: "Email", value: values("email") ?? "", autocomplete: "email", isRequired: true, type: "email",
                form: "register"),
            FormField(
                name: "password", label: "Password", value: "", autocomplete: "new-password", isRequired: true,
                hint: "At least 10 characters, not a common password.", type: "password", form: "register"),
        ]
    }

    /// A taken address is said so that the visitor knows what to do next.
    static func reword(_ problem: APIProblem) -> String {
        problem.status == 409 ? "This email already has an account. Sign in with it instead." : problem.detail
    }
}
