import EmporiumClient

/// A cart checked against the catalog as it is now: each stored line with its current price, or
/// the reason it cannot be bought (no longer sold, out of stock, too few left). The cart page and
/// checkout show the same figures because both read them from here.
struct CartContents: Sendable {
    /// A line as the pages show it.
    struct Line: Sendable {
        var productID: String
        var name: String
        var quantity: Int
        var unitPrice: String?
        var lineTotal: String?
        var maxQuantity: Int
        /// Why the line cannot be bought as it is, if it cannot.
        var problem: String?
    }

    var lines: [Line]
    /// The total of the lines that can be bought, formatted.
    var subtotal: String
    /// Whether every line can be bought as it is.
    var isPurchasable: Bool

    var isEmpty: Bool { lines.isEmpty }

    /// What an order of this cart asks for.
    var items: [CustomerAPI.Item] { lines.map { CustomerAPI.Item(productId: $0.productID, quantity: $0.quantity) } }

    /// The cart of `visit`, checked against the catalog.
    static func load(for visit: Visit, carts: CartStore, api: ShopAPI) async throws -> CartContents {
        let stored = visit.isNew && visit.customer == nil ? [] : try await carts.lines(of: visit.cartOwner)
        let products = try await api.products(stored.map(\.productID))
        var subtotal = 0
        var currency = "EUR"
        let lines = stored.map { line in
            guard let product = products[line.productID] else {
                return Line(
                    productID: line.productID, name: "A product no longer sold", quantity: line.quantity, maxQuantity: CartStore.maxQuantity,
                    problem: "No longer sold")
            }
            currency = product.price.currency
            let total = product.price.amount * line.quantity
            if product.stock >= line.quantity { subtotal += total }
            return Line(
                productID: line.productID, name: product.name, quantity: line.quantity,
                unitPrice: MoneyText.format(product.price.amount, currency: product.price.currency),
                lineTotal: MoneyText.format(total, currency: product.price.currency),
                maxQuantity: CartStore.maxQuantity,
                problem: product.stock == 0 ? "Out of stock" : product.stock < line.quantity ? "Only \(product.stock) left" : nil
            )
        }
        return CartContents(
            lines: lines, subtotal: MoneyText.format(subtotal, currency: currency), isPurchasable: lines.allSatisfy { $0.problem == nil })
    }
}
