import Contracts
import EmporiumCore
import HTTPTypes
import Logging
import ShippingAPI

/// Turns a validated order request into priced lines and totals: prices and availability from
/// the Product Service, a shipping rate from the shipping API. Every refusal is a problem naming
/// the input at fault, raised before anything is stored.
struct OrderPricing: Sendable {
    let catalog: CatalogClient
    let carrier: any ShippingCarrier

    /// What a parcel weighs per unit ordered: the catalog has no weights yet, so every unit is
    /// counted as a typical small parcel item.
    static let gramsPerUnit = 250

    struct Quote {
        var lines: [OrderLine]
        var subtotal: Money
        var shipping: Rate
        var total: Money
        var parcelGrams: Int
    }

    func quote(_ order: NewOrder, logger: Logger) async throws -> Quote {
        let products = try await catalog.products(order.items.map(\.productId), logger: logger)
        var lines: [OrderLine] = []
        for (index, item) in order.items.enumerated() {
            guard let product = products[item.productId] else {
                throw Problem(.unknownProduct, detail: "There is no product \(item.productId) in the catalog.", field: "items[\(index)].productId")
            }
            guard product.stock >= item.quantity else {
                throw Problem(
                    .insufficientStock,
                    detail: "Only \(product.stock) of \(product.name) are in stock; \(item.quantity) were ordered.",
                    field: "items[\(index)].quantity"
                )
            }
            lines.append(OrderLine(productId: product.id, sku: product.sku, name: product.name, quantity: item.quantity, unitPrice: product.price))
        }
        let currency = lines[0].unitPrice.currency
        if let index = lines.firstIndex(where: { $0.unitPrice.currency != currency }) {
            throw Problem(
                .currencyMismatch, detail: "The products are priced in different currencies and cannot be ordered together.",
                field: "items[\(index)].productId")
        }
        if let wanted = order.currency, wanted.uppercased() != currency {
            throw Problem(.currencyMismatch, detail: "The catalog prices these products in \(currency), not \(wanted).", field: "currency")
        }
        let subtotal = try lines.enumerated().reduce(0) { sum, entry in
            let (line, overflowed) = entry.element.unitPrice.amount.multipliedReportingOverflow(by: entry.element.quantity)
            guard !overflowed, sum <= Int.max - line else {
                throw Problem(.invalidField, detail: "The order's total is too large.", field: "items[\(entry.offset)].quantity")
            }
            return sum + line
        }
        let grams = order.items.reduce(0) { $0 + $1.quantity } * Self.gramsPerUnit
        let rate = try await shippingRate(to: order.shippingAddress, grams: grams, logger: logger)
        guard rate.amount.currency == currency else {
            throw Problem(
                .currencyMismatch, detail: "Shipping is charged in \(rate.amount.currency), but the products are priced in \(currency).",
                field: "items")
        }
        return Quote(
            lines: lines, subtotal: Money(amount: subtotal, currency: currency), shipping: rate,
            total: Money(amount: subtotal + rate.amount.amount, currency: currency), parcelGrams: grams)
    }

    /// The cheapest rate; the shipping API's refusal of the address or parcel names the field.
    private func shippingRate(to address: PostalAddress, grams: Int, logger: Logger) async throws -> Rate {
        let rates: [Rate]
        do {
            rates = try await carrier.rates(to: address, parcel: Parcel(weightGrams: grams), logger: logger)
        } catch let refusal as ShippingRefusal {
            let field =
                refusal.field?.hasPrefix("parcel") == true
                ? "items" : refusal.field.map { "shippingAddress." + ($0.split(separator: ".").last.map(String.init) ?? $0) }
            throw Problem(.notShippable, detail: "The order cannot be shipped: \(refusal.detail)", field: field)
        }
        guard let cheapest = rates.min(by: { $0.amount.amount < $1.amount.amount }) else {
            throw Problem(.notShippable, detail: "No carrier ships to this address.", field: "shippingAddress.country")
        }
        return cheapest
    }
}

extension ProblemType {
    /// An order names one product on two lines.
    static let duplicateProduct = ProblemType(slug: "duplicate-product", title: "A product is named twice", status: .unprocessableContent)
    /// An order names a product the catalog does not have (or no longer sells).
    static let unknownProduct = ProblemType(slug: "unknown-product", title: "The product does not exist", status: .unprocessableContent)
    /// An order asks for more units than are in stock.
    static let insufficientStock = ProblemType(slug: "insufficient-stock", title: "Not enough stock", status: .unprocessableContent)
    /// An order's currencies do not agree.
    static let currencyMismatch = ProblemType(slug: "currency-mismatch", title: "The currency does not match", status: .unprocessableContent)
    /// The order cannot be shipped as asked.
    static let notShippable = ProblemType(slug: "not-shippable", title: "The order cannot be shipped", status: .unprocessableContent)
}
