import EmporiumClient
import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import WebSupport

/// Checkout, for signed-in customers, in three steps that each work without JavaScript:
/// `GET /checkout` chooses the address (a saved one, or a new one); `POST /checkout` asks the API
/// for a quote and shows it with the shipping rate, or the form again with each refusal beside its
/// field; `POST /checkout/order` places the order with the review form's own `Idempotency-Key`,
/// so that however often its button is pressed, one order is placed.
struct CheckoutPage: Sendable {
    let api: ShopAPI
    let tokens: AccessTokens
    let frame: PageFrame

    /// Saved addresses a profile keeps at most (the API's limit).
    static let maxSavedAddresses = 10

    struct Values: Sendable {
        var chrome: PageChrome
        var cart: CartContents
        var savedAddresses: [SavedAddress]
        var hasSavedAddresses: Bool
        var newAddressChosen: Bool
        var address: AddressForm
        var saveAddress: Bool
        var notice: String?
    }

    struct SavedAddress: Sendable {
        var value: String
        var summary: String
        var checked: Bool
    }

    struct Review: Sendable {
        var chrome: PageChrome
        var lines: [ReviewLine]
        var subtotal: String
        var shipping: String
        var shippingDescription: String
        var total: String
        var addressSummary: String
        var address: AddressForm
        var saveAddress: Bool
        var orderKey: String
    }

    struct ReviewLine: Sendable {
        var name: String
        var quantity: Int
        var unitPrice: String
        var lineTotal: String
    }

    /// `GET /checkout`.
    @Sendable func show(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.respond(to: request) { visit in
            let customer = try await tokens.api(for: visit, returnTo: "/checkout")
            let profile = try await customer.profile()
            let cart = try await CartContents.load(for: visit, carts: frame.carts, api: api)
            guard !cart.isEmpty else { return PageFrame.seeOther("/cart") }
            return try await form(
                visit: visit, cart: cart, saved: profile.shippingAddresses, chosen: profile.shippingAddresses.isEmpty ? nil : 0,
                address: AddressForm(), saveAddress: profile.shippingAddresses.isEmpty)
        }
    }

    /// `POST /checkout`: the quote for the chosen address, or the form with what is wrong.
    @Sendable func review(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.submit(request, context: context) { visit, submitted in
            let customer = try await tokens.api(for: visit, returnTo: "/checkout")
            let saved = try await customer.profile().shippingAddresses
            let cart = try await CartContents.load(for: visit, carts: frame.carts, api: api)
            guard !cart.isEmpty else { return PageFrame.seeOther("/cart") }
            let chosen = Self.savedIndex(submitted["address"], count: saved.count)
            var address = chosen.map { AddressForm(saved[$0]) } ?? AddressForm { submitted[$0] }
            let saveAddress = chosen == nil && submitted["save"] == "yes"
            do {
                let quote = try await customer.quote(cart.items, to: address.address)
                return try await reviewPage(visit: visit, quote: quote, address: address, saveAddress: saveAddress)
            } catch let problem as APIProblem where problem.status == 400 || problem.status == 422 {
                // A saved address the API now refuses is shown as a new one, so that it can be corrected.
                let notice = address.accept(problem) ? nil : Self.message(for: problem, cart: cart)
                return try await form(
                    visit: visit, cart: cart, saved: saved, chosen: address.hasErrors ? nil : chosen, address: address, saveAddress: saveAddress,
                    notice: notice, status: .unprocessableContent)
            }
        }
    }

    /// `POST /checkout/order`: places the order, empties the cart, and goes to the order's page.
    @Sendable func place(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.submit(request, context: context) { visit, submitted in
            let customer = try await tokens.api(for: visit, returnTo: "/checkout")
            guard let key = submitted["order-key"], UUID(uuidString: key) != nil else {
                throw PageError.badRequest("The checkout form has no order key. Go back to checkout and review your order again.")
            }
            let cart = try await CartContents.load(for: visit, carts: frame.carts, api: api)
            var address = AddressForm { submitted[$0] }
            let order: CustomerAPI.Order
            do {
                order = try await placeOnce(cart.items, to: address.address, key: key, as: customer)
            } catch let problem as APIProblem where problem.status == 400 || problem.status == 422 {
                let saved = try await customer.profile().shippingAddresses
                let notice =
                    problem.type == "idempotency-key-reused"
                    ? "Your cart changed after you reviewed the order. Check the order again, then place it."
                    : address.accept(problem) ? nil : Self.message(for: problem, cart: cart)
                return try await form(
                    visit: visit, cart: cart, saved: saved, chosen: nil, address: address, saveAddress: submitted["save"] == "yes", notice: notice,
                    status: .unprocessableContent)
            }
            for line in order.lines { try await frame.carts.remove(line.productId, from: visit.cartOwner) }
            if submitted["save"] == "yes" { try await save(address.address, for: customer) }
            context.logger.info("Order placed from the storefront", metadata: ["order": "\(order.id)"])
            return PageFrame.seeOther("/orders/\(order.id)")
        }
    }

    /// Places the order; a press of the button while the first press is still being placed
    /// waits for that one's answer (the API answers 409 until it is known).
    private func placeOnce(_ items: [CustomerAPI.Item], to address: CustomerAPI.Address, key: String, as customer: CustomerAPI) async throws
        -> CustomerAPI.Order
    {
        for _ in 0..<20 {
            do {
                return try await customer.placeOrder(items, to: address, key: key)
            } catch let problem as APIProblem where problem.status == 409 {
                try await Task.sleep(for: .milliseconds(250))
            }
        }
        throw PageError.unavailable(cause: "an order with key \(key) stayed in progress")
    }

    /// Adds `address` to the profile's saved addresses, unless it is there already.
    private func save(_ address: CustomerAPI.Address, for customer: CustomerAPI) async throws {
        let saved = try await customer.profile().shippingAddresses
        guard !saved.contains(where: { AddressForm.summary(of: $0) == AddressForm.summary(of: address) }) else { return }
        try await customer.saveAddresses(Array((saved + [address]).prefix(Self.maxSavedAddresses)))
    }

    private func form(
        visit: Visit, cart: CartContents, saved: [CustomerAPI.Address], chosen: Int?, address: AddressForm, saveAddress: Bool,
        notice: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let values = Values(
            chrome: try await frame.chrome(title: "Checkout", visit: visit), cart: cart,
            savedAddresses: saved.enumerated().map {
                SavedAddress(value: "saved-\($0.offset)", summary: AddressForm.summary(of: $0.element), checked: $0.offset == chosen)
            },
            hasSavedAddresses: !saved.isEmpty, newAddressChosen: chosen == nil, address: address, saveAddress: saveAddress, notice: notice)
        return try frame.renderer.page("checkout", values, status: status)
    }

    private func reviewPage(visit: Visit, quote: CustomerAPI.Quote, address: AddressForm, saveAddress: Bool) async throws -> Response {
        let currency = quote.total.currency
        let days = quote.estimatedDays == 1 ? "1 day" : "\(quote.estimatedDays) days"
        let values = Review(
            chrome: try await frame.chrome(title: "Review your order", visit: visit),
            lines: quote.lines.map {
                ReviewLine(
                    name: $0.name, quantity: $0.quantity, unitPrice: MoneyText.format($0.unitPrice.amount, currency: currency),
                    lineTotal: MoneyText.format($0.unitPrice.amount * $0.quantity, currency: currency))
            },
            subtotal: MoneyText.format(quote.subtotal.amount, currency: currency),
            shipping: MoneyText.format(quote.shipping.amount, currency: currency),
            shippingDescription: "\(quote.carrier), \(quote.shippingService), about \(days)",
            total: MoneyText.format(quote.total.amount, currency: currency),
            addressSummary: AddressForm.summary(of: address.address), address: address, saveAddress: saveAddress,
            orderKey: UUID().uuidString.lowercased())
        return try frame.renderer.page("review", values)
    }

    /// The saved address a choice (`saved-2`) names, or nil for a new address.
    static func savedIndex(_ choice: String?, count: Int) -> Int? {
        guard let choice, choice.hasPrefix("saved-"), let index = Int(choice.dropFirst(6)), (0..<count).contains(index) else { return nil }
        return index
    }

    /// A refusal that concerns the cart, not the address, in the customer's words.
    static func message(for problem: APIProblem, cart: CartContents) -> String {
        if let field = problem.field, field.hasPrefix("items["), let end = field.firstIndex(of: "]"),
            let index = Int(field[field.index(field.startIndex, offsetBy: 6)..<end]), cart.lines.indices.contains(index)
        {
            return "\(cart.lines[index].name): \(problem.detail) Change it in your cart, then check out again."
        }
        return problem.detail
    }
}
