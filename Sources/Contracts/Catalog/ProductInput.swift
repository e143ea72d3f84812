/// The body of `POST /api/v1/products` (admins).
public struct NewProduct: Codable, Sendable {
    /// The stock-keeping unit: 3–32 of `A–Z`, `0–9` and `-`, unique in the catalog.
    public var sku: String
    /// The display name.
    public var name: String
    /// The long description.
    public var description: String
    /// The category's slug (`kitchen`).
    public var category: String
    /// The unit price, in the shop's currency.
    public var price: Money
    /// Units in stock.
    public var stock: Int

    /// Creates the body.
    public init(sku: String, name: String, description: String, category: String, price: Money, stock: Int) {
        self.sku = sku
        self.name = name
        self.description = description
        self.category = category
        self.price = price
        self.stock = stock
    }
}

/// The body of `PATCH /api/v1/products/{id}` (admins): absent fields stay as they are.
public struct ProductChanges: Codable, Sendable {
    /// A new display name.
    public var name: String?
    /// A new description.
    public var description: String?
    /// A new category.
    public var category: String?
    /// A new price.
    public var price: Money?
    /// A new stock level.
    public var stock: Int?

    /// Creates the changes.
    public init(name: String? = nil, description: String? = nil, category: String? = nil, price: Money? = nil, stock: Int? = nil) {
        self.name = name
        self.description = description
        self.category = category
        self.price = price
        self.stock = stock
    }
}
