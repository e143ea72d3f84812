public import Foundation

/// One line of an order, priced when the order was placed.
public struct OrderLine: Codable, Sendable, Hashable {
    /// The product.
    public var productId: UUID
    /// Its SKU at the time.
    public var sku: String
    /// Its name at the time, for receipts.
    public var name: String
    /// Units ordered.
    public var quantity: Int
    /// Price of one unit.
    public var unitPrice: Money

    /// Creates a line.
    public init(productId: UUID, sku: String, name: String, quantity: Int, unitPrice: Money) {
        self.productId = productId
        self.sku = sku
        self.name = name
        self.quantity = quantity
        self.unitPrice = unitPrice
    }
}

/// A customer placed an order. The Product Service reserves its stock; the Notification
/// Service confirms receipt.
public struct OrderCreated: DomainEvent {
    public static let eventType = "emporium.order.created.v1"
    public static let source = "/emporium/order"
    public var subject: String { "orders/\(orderId.uuidString)" }

    /// The order.
    public var orderId: UUID
    /// Who placed it.
    public var customerId: String
    /// What was ordered.
    public var lines: [OrderLine]
    /// The shipping cost quoted.
    public var shipping: Money
    /// Lines plus shipping.
    public var total: Money

    /// Creates the event.
    public init(orderId: UUID, customerId: String, lines: [OrderLine], shipping: Money, total: Money) {
        self.orderId = orderId
        self.customerId = customerId
        self.lines = lines
        self.shipping = shipping
        self.total = total
    }
}

/// An order was cancelled: by its owner, by expiry, or because its stock was refused. The Product
/// Service releases what it reserved; the Payment Service refunds a payment that succeeded.
public struct OrderCancelled: DomainEvent {
    public static let eventType = "emporium.order.cancelled.v1"
    public static let source = "/emporium/order"
    public var subject: String { "orders/\(orderId.uuidString)" }

    /// Why an order ends cancelled.
    public enum Reason: String, Codable, Sendable {
        /// The customer cancelled it.
        case customerRequest = "customer_request"
        /// It stayed unpaid too long.
        case expired
        /// Its stock could not be reserved.
        case stockRejected = "stock_rejected"
    }

    /// The order.
    public var orderId: UUID
    /// Its owner.
    public var customerId: String
    /// Why.
    public var reason: Reason
    /// Whether stock had been reserved for it (and so must be released).
    public var stockReserved: Bool
    /// The lines, so that a consumer need not call back.
    public var lines: [StockLine]

    /// Creates the event.
    public init(orderId: UUID, customerId: String, reason: Reason, stockReserved: Bool, lines: [StockLine]) {
        self.orderId = orderId
        self.customerId = customerId
        self.reason = reason
        self.stockReserved = stockReserved
        self.lines = lines
    }
}

/// A paid order left the warehouse.
public struct OrderShipped: DomainEvent {
    public static let eventType = "emporium.order.shipped.v1"
    public static let source = "/emporium/order"
    public var subject: String { "orders/\(orderId.uuidString)" }

    /// The order.
    public var orderId: UUID
    /// Its owner.
    public var customerId: String
    /// The carrier's name.
    public var carrier: String
    /// The carrier's tracking number.
    public var trackingNumber: String

    /// Creates the event.
    public init(orderId: UUID, customerId: String, carrier: String, trackingNumber: String) {
        self.orderId = orderId
        self.customerId = customerId
        self.carrier = carrier
        self.trackingNumber = trackingNumber
    }
}
