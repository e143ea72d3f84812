import EmporiumClient
import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import WebSupport

/// `/account`: the signed-in customer's profile and saved shipping addresses, with forms that
/// change the name, add an address and remove one. The API judges every change; its refusals
/// show beside the field they name.
struct AccountPage: Sendable {
    let tokens: AccessTokens
    let frame: PageFrame
    let sessions: SessionStore

    struct Values: Sendable {
        var chrome: PageChrome
        var email: String
        var name: FormField
        var addresses: [SavedAddress]
        var hasAddresses: Bool
        var canAddAddress: Bool
        var newAddress: AddressForm
        var notice: String?
        var noticeIsError: Bool
    }

    struct SavedAddress: Sendable {
        var index: Int
        var summary: String
        var isDefault: Bool
    }

    /// `GET /account`.
    @Sendable func show(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.respond(to: request) { visit in
            let customer = try await tokens.api(for: visit, returnTo: "/account")
            return try await page(for: visit, profile: try await customer.profile(), notice: Self.notice(request.formQuery["done"]))
        }
    }

    /// `POST /account/name`.
    @Sendable func rename(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.submit(request, context: context) { visit, form in
            let customer = try await tokens.api(for: visit, returnTo: "/account")
            let name = (form["name"] ?? "").trimmingWhitespace
            do {
                let profile = try await customer.rename(to: name)
                try await sessions.rename(sessionKey: visit.sessionKey, to: profile.name)
            } catch let problem as APIProblem where problem.status == 400 || problem.status == 422 {
                var field = Self.nameField(name)
                field.error = problem.detail
                return try await page(for: visit, profile: try await customer.profile(), name: field, status: .unprocessableContent)
            }
            return PageFrame.seeOther("/account?done=renamed")
        }
    }

    /// `POST /account/addresses`: adds an address after the saved ones.
    @Sendable func addAddress(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.submit(request, context: context) { visit, form in
            let customer = try await tokens.api(for: visit, returnTo: "/account")
            let profile = try await customer.profile()
            var address = AddressForm(values: { form[$0] }, form: "new-address")
            guard profile.shippingAddresses.count < CheckoutPage.maxSavedAddresses else {
                return try await page(
                    for: visit, profile: profile, newAddress: address, notice: "A profile keeps at most \(CheckoutPage.maxSavedAddresses) addresses.",
                    status: .unprocessableContent)
            }
            do {
                try await customer.saveAddresses(profile.shippingAddresses + [address.address])
            } catch let problem as APIProblem where problem.status == 400 || problem.status == 422 {
                let placed = address.accept(problem)
                return try await page(
                    for: visit, profile: profile, newAddress: address, notice: placed ? nil : problem.detail, status: .unprocessableContent)
            }
            return PageFrame.seeOther("/account?done=added")
        }
    }

    /// `POST /account/addresses/{index}/remove`: removes the saved address the form showed; if the
    /// list changed meanwhile (another tab), nothing is removed and the page says so.
    @Sendable func removeAddress(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.submit(request, context: context) { visit, form in
            let customer = try await tokens.api(for: visit, returnTo: "/account")
            let profile = try await customer.profile()
            var saved = profile.shippingAddresses
            guard let index = context.parameters.get("index", as: Int.self), saved.indices.contains(index),
                AddressForm.summary(of: saved[index]) == form["summary"]
            else {
                return try await page(
                    for: visit, profile: profile, notice: "That address had already changed. Here are your addresses as they are now.",
                    status: .conflict)
            }
            saved.remove(at: index)
            try await customer.saveAddresses(saved)
            return PageFrame.seeOther("/account?done=removed")
        }
    }

    private func page(
        for visit: Visit, profile: CustomerAPI.Profile, name: FormField? = nil, newAddress: AddressForm = AddressForm(form: "new-address"),
        notice: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let values = Values(
            chrome: try await frame.chrome(title: "Your account", visit: visit), email: profile.email, name: name ?? Self.nameField(profile.name),
            addresses: profile.shippingAddresses.enumerated().map {
                SavedAddress(index: $0, summary: AddressForm.summary(of: $1), isDefault: $0 == 0)
            },
            hasAddresses: !profile.shippingAddresses.isEmpty, canAddAddress: profile.shippingAddresses.count < CheckoutPage.maxSavedAddresses,
            newAddress: newAddress, notice: notice, noticeIsError: status != .ok)
        return try frame.renderer.page("account", values, status: status)
    }

    private static func nameField(_ value: String) -> FormField {
        FormField(name: "name", label: "Name", value: value, autocomplete: "name", isRequired: true, form: "profile")
    }

    /// The message after a form that succeeded; only these words.
    static func notice(_ done: String?) -> String? {
        switch done {
        case "renamed": "Your name is changed."
        case "added": "The address is saved. Checkout offers it from now on."
        case "removed": "The address is removed."
        default: nil
        }
    }
}
