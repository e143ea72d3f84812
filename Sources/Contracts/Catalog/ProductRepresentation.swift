public import Foundation

/// A product as the Product Service's API shows it (`GET /api/v1/products/{id}`), version 1.
public struct ProductRepresentation: Codable, Sendable, Hashable {
    /// The product's id.
    public var id: UUID
    /// The stock-keeping unit, unique in the catalog.
    public var sku: String
    /// The display name.
    public var name: String
    /// The long description.
    public var description: String
    /// The category's slug (`kitchen`).
    public var category: String
    /// The unit price.
    public var price: Money
    /// Units available to order now.
    public var stock: Int
    /// Its pictures, first the one lists show. The API always sends them; events carry none.
    public var images: [ProductImage]?

    /// Creates a representation.
    public init(
        id: UUID, sku: String, name: String, description: String, category: String, price: Money, stock: Int, images: [ProductImage]? = nil
    ) {
        self.id = id
        self.sku = sku
        self.name = name
        self.description = description
        self.category = category
        self.price = price
        self.stock = stock
        self.images = images
    }
}
