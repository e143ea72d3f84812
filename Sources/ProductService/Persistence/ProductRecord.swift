import Contracts
import FluentKit
import Foundation

/// A catalog row in the Product Service's database.
///
/// `@unchecked Sendable` because Fluent models are mutable classes; each record is created and used
/// within one request or one seeding task and never shared between tasks.
final class ProductRecord: Model, @unchecked Sendable {
    static let schema = "products"

    @ID(key: .id) var id: UUID?
    @Field(key: "sku") var sku: String
    @Field(key: "name") var name: String
    @Field(key: "description") var description: String
    @Field(key: "category") var category: String
    @Field(key: "price_amount") var priceAmount: Int
    @Field(key: "price_currency") var priceCurrency: String
    @Field(key: "stock") var stock: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Field(key: "version") var version: Int
    @Field(key: "sales_count") var salesCount: Int
    @OptionalField(key: "deleted_at") var deletedAt: Date?
    @Field(key: "search_text") var searchText: String

    init() {}

    init(id: UUID? = nil, sku: String, name: String, description: String, category: String, price: Money, stock: Int) {
        self.id = id
        self.sku = sku
        self.name = name
        self.description = description
        self.category = category
        self.priceAmount = price.amount
        self.priceCurrency = price.currency
        self.stock = stock
        self.version = 1
        self.salesCount = 0
        self.searchText = ""
        refreshSearchText()
    }

    /// Recomputes the lower-cased text that `q` searches: SKU, name and description.
    func refreshSearchText() {
        searchText = "\(sku) \(name) \(description)".lowercased()
    }

    /// The API's view of the row.
    func representation() throws -> ProductRepresentation {
        ProductRepresentation(
            id: try requireID(),
            sku: sku,
            name: name,
            description: description,
            category: category,
            price: Money(amount: priceAmount, currency: priceCurrency),
            stock: stock
        )
    }
}
