public import Foundation

/// An admin created, changed or deleted a product.
public struct ProductUpdated: DomainEvent {
    public static let eventType = "emporium.product.updated.v1"
    public static let source = "/emporium/product"
    public var subject: String { "products/\(product.id.uuidString)" }

    /// Increases by one with every change, so that a consumer can ignore a stale one.
    public var version: Int
    /// The names of the fields that changed (`price`, `stock`…); every field for a creation.
    public var changedFields: [String]
    /// Whether the product was (soft) deleted.
    public var deleted: Bool
    /// The product after the change.
    public var product: ProductRepresentation

    /// Creates the event.
    public init(version: Int, changedFields: [String], deleted: Bool, product: ProductRepresentation) {
        self.version = version
        self.changedFields = changedFields
        self.deleted = deleted
        self.product = product
    }
}

/// A quantity of one product, as orders and stock events carry it.
public struct StockLine: Codable, Sendable, Hashable {
    /// The product.
    public var productId: UUID
    /// How many units.
    public var quantity: Int

    /// Creates a line.
    public init(productId: UUID, quantity: Int) {
        self.productId = productId
        self.quantity = quantity
    }
}

/// The Product Service reserved stock for every line of an order.
public struct StockReserved: DomainEvent {
    public static let eventType = "emporium.product.stock-reserved.v1"
    public static let source = "/emporium/product"
    public var subject: String { "orders/\(orderId.uuidString)" }

    /// The order the stock is held for.
    public var orderId: UUID
    /// What was reserved.
    public var lines: [StockLine]

    /// Creates the event.
    public init(orderId: UUID, lines: [StockLine]) {
        self.orderId = orderId
        self.lines = lines
    }
}

/// The Product Service could not reserve stock for an order, so it reserved nothing.
public struct StockRejected: DomainEvent {
    public static let eventType = "emporium.product.stock-rejected.v1"
    public static let source = "/emporium/product"
    public var subject: String { "orders/\(orderId.uuidString)" }

    /// A line that could not be served.
    public struct Shortage: Codable, Sendable, Hashable {
        /// The product.
        public var productId: UUID
        /// Units asked for.
        public var requested: Int
        /// Units in stock when the order arrived (0 for an unknown or deleted product).
        public var available: Int

        /// Creates a shortage.
        public init(productId: UUID, requested: Int, available: Int) {
            self.productId = productId
            self.requested = requested
            self.available = available
        }
    }

    /// The order that was refused.
    public var orderId: UUID
    /// The lines that could not be served.
    public var shortages: [Shortage]

    /// Creates the event.
    public init(orderId: UUID, shortages: [Shortage]) {
        self.orderId = orderId
        self.shortages = shortages
    }
}
