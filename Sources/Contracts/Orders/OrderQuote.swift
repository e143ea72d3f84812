/// The answer of `POST /api/v1/orders/quote`: what an order would cost if placed now, priced
/// exactly as checkout prices it, with nothing stored or reserved.
public struct OrderQuote: Codable, Sendable, Equatable {
    /// The lines, priced from the catalog.
    public var lines: [OrderLine]
    /// The lines' total.
    public var subtotal: Money
    /// The cheapest shipping rate the carrier quotes for the address.
    public var shipping: Money
    /// The carrier of that rate.
    public var carrier: String
    /// Its service (`standard`, `express`).
    public var shippingService: String
    /// Days until delivery, as the carrier estimates them.
    public var estimatedDays: Int
    /// Subtotal plus shipping.
    public var total: Money

    /// Creates a quote.
    public init(
        lines: [OrderLine], subtotal: Money, shipping: Money, carrier: String, shippingService: String, estimatedDays: Int, total: Money
    ) {
        self.lines = lines
        self.subtotal = subtotal
        self.shipping = shipping
        self.carrier = carrier
        self.shippingService = shippingService
        self.estimatedDays = estimatedDays
        self.total = total
    }
}
