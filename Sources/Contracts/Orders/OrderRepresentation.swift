public import Foundation

/// Where an order is in its life. The values are the API's, exactly.
public enum OrderStatus: String, Codable, Sendable, CaseIterable {
    /// Created; the Product Service has not yet answered for its stock.
    case pending
    /// Stock is reserved; the customer may pay.
    case awaitingPayment = "awaiting_payment"
    /// A payment was declined; the customer may pay again.
    case paymentFailed = "payment_failed"
    /// Paid; a shipment is being created.
    case paid
    /// Handed to the carrier.
    case shipped
    /// Cancelled by its owner, by expiry, or because its stock was refused.
    case cancelled
}

/// One line of `POST /api/v1/orders`.
public struct OrderItemRequest: Codable, Sendable, Equatable {
    /// The product.
    public var productId: UUID
    /// Units wanted, at least 1.
    public var quantity: Int

    /// Creates a line.
    public init(productId: UUID, quantity: Int) {
        self.productId = productId
        self.quantity = quantity
    }
}

/// The body of `POST /api/v1/orders`.
public struct NewOrder: Codable, Sendable, Equatable {
    /// What to buy: 1 to 50 lines, each product once.
    public var items: [OrderItemRequest]
    /// Where to send it.
    public var shippingAddress: PostalAddress
    /// The currency the client expects to pay in; refused when the catalog prices in another.
    public var currency: String?

    /// Creates the body.
    public init(items: [OrderItemRequest], shippingAddress: PostalAddress, currency: String? = nil) {
        self.items = items
        self.shippingAddress = shippingAddress
        self.currency = currency
    }
}

/// One entry of an order's status history.
public struct OrderStatusChange: Codable, Sendable, Equatable {
    /// The status entered.
    public var status: OrderStatus
    /// When.
    public var at: Date
    /// Why, where it says more than the status (`stock_rejected`, `expired`, `card_declined`).
    public var reason: String?

    /// Creates an entry.
    public init(status: OrderStatus, at: Date, reason: String? = nil) {
        self.status = status
        self.at = at
        self.reason = reason
    }
}

/// The shipment of a shipped order.
public struct OrderShipment: Codable, Sendable, Equatable {
    /// The carrier's name.
    public var carrier: String
    /// The carrier's tracking number.
    public var trackingNumber: String
    /// Where the label can be fetched.
    public var labelUrl: String

    /// Creates a shipment.
    public init(carrier: String, trackingNumber: String, labelUrl: String) {
        self.carrier = carrier
        self.trackingNumber = trackingNumber
        self.labelUrl = labelUrl
    }
}

/// An order as the Order Service's API shows it.
public struct OrderRepresentation: Codable, Sendable, Equatable {
    /// The order's id.
    public var id: UUID
    /// Its owner (the token subject of the customer who placed it).
    public var customerId: String
    /// Where it is now.
    public var status: OrderStatus
    /// What was ordered, priced when it was placed.
    public var lines: [OrderLine]
    /// The lines' total.
    public var subtotal: Money
    /// The shipping rate quoted.
    public var shipping: Money
    /// Subtotal plus shipping: what the customer pays.
    public var total: Money
    /// Where it goes.
    public var shippingAddress: PostalAddress
    /// The carrier's details, once shipped.
    public var shipment: OrderShipment?
    /// Every status it has been in, oldest first.
    public var statusHistory: [OrderStatusChange]
    /// When it was placed.
    public var createdAt: Date
    /// When it is cancelled if still unpaid.
    public var payBy: Date

    /// Creates a representation.
    public init(
        id: UUID,
        customerId: String,
        status: OrderStatus,
        lines: [OrderLine],
        subtotal: Money,
        shipping: Money,
        total: Money,
        shippingAddress: PostalAddress,
        shipment: OrderShipment?,
        statusHistory: [OrderStatusChange],
        createdAt: Date,
        payBy: Date
    ) {
        self.id = id
        self.customerId = customerId
        self.status = status
        self.lines = lines
        self.subtotal = subtotal
        self.shipping = shipping
        self.total = total
        self.shippingAddress = shippingAddress
        self.shipment = shipment
        self.statusHistory = statusHistory
        self.createdAt = createdAt
        self.payBy = payBy
    }
}
