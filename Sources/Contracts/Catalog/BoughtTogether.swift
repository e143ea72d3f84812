/// `GET /api/v1/products/{id}/bought-together`: the products most often ordered with one product,
/// most often first.
public struct BoughtTogether: Codable, Sendable, Equatable {
    /// One companion product, with how many orders held both.
    public struct Companion: Codable, Sendable, Equatable {
        /// The product, as the catalog shows it.
        public var product: ProductRepresentation
        /// How many orders held this product and the one asked about.
        public var orderedTogether: Int

        /// Creates a companion.
        public init(product: ProductRepresentation, orderedTogether: Int) {
            self.product = product
            self.orderedTogether = orderedTogether
        }
    }

    /// The companions, most often ordered together first.
    public var items: [Companion]

    /// Creates the answer.
    public init(items: [Companion]) {
        self.items = items
    }
}
