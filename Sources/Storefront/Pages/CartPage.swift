import EmporiumClient
import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import WebSupport

/// `/cart`: the cart, checked again against the catalog each time it is shown (a price that
/// changed shows the new price, a product no longer sold is marked and left out of the total),
/// and the forms that add, change and remove its lines. Every form answers with a redirect, so
/// that a reload never sends it twice.
struct CartPage: Sendable {
    let api: ShopAPI
    let frame: PageFrame

    struct Values: Sendable {
        var chrome: PageChrome
        var cart: CartContents
        var signedIn: Bool
        var notice: String?
    }

    @Sendable func show(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.respond(to: request) { visit in try await page(for: visit) }
    }

    /// `POST /cart/items`: adds `quantity` of `product`, then goes to `return` (a path of this shop) or the cart.
    @Sendable func add(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.submit(request, context: context) { visit, form in
            guard let id = form["product"], UUID(uuidString: id) != nil else { throw PageError.badRequest("The form names no product.") }
            let quantity = try Self.quantity(form["quantity"] ?? "1")
            guard let product = try await api.product(id) else {
                return try await page(for: visit, notice: "That product is no longer sold.", status: .notFound)
            }
            guard product.stock > 0 else {
                return try await page(for: visit, notice: "\(product.name) is out of stock.", status: .conflict)
            }
            try await frame.carts.add(quantity, of: id, to: visit.cartOwner)
            return PageFrame.seeOther(Self.localPath(form["return"]) ?? "/cart")
        }
    }

    /// `POST /cart/items/{id}`: sets the line's quantity.
    @Sendable func update(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.submit(request, context: context) { visit, form in
            let id = try Self.productID(context)
            try await frame.carts.setQuantity(try Self.quantity(form["quantity"] ?? "", allowsZero: true), of: id, in: visit.cartOwner)
            return PageFrame.seeOther("/cart")
        }
    }

    /// `POST /cart/items/{id}/remove`: removes the line.
    @Sendable func remove(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.submit(request, context: context) { visit, _ in
            try await frame.carts.remove(try Self.productID(context), from: visit.cartOwner)
            return PageFrame.seeOther("/cart")
        }
    }

    private func page(for visit: Visit, notice: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let cart = try await CartContents.load(for: visit, carts: frame.carts, api: api)
        let values = Values(chrome: try await frame.chrome(title: "Cart", visit: visit), cart: cart, signedIn: visit.customer != nil, notice: notice)
        return try frame.renderer.page("cart", values, status: status)
    }

    private static func productID(_ context: EmporiumRequestContext) throws -> String {
        guard let id = context.parameters.get("id"), UUID(uuidString: id) != nil else { throw PageError.notFound(what: "that cart line") }
        return id
    }

    private static func quantity(_ text: String, allowsZero: Bool = false) throws -> Int {
        guard let quantity = Int(text.trimmingWhitespace), (allowsZero ? 0 : 1)...CartStore.maxQuantity ~= quantity else {
            throw PageError.badRequest("Choose a quantity from 1 to \(CartStore.maxQuantity).")
        }
        return quantity
    }

    /// `path` if it is a path of this shop (`/products/…`), never another site (`//evil.example`).
    static func localPath(_ path: String?) -> String? {
        ReturnPath.local(path)
    }
}
