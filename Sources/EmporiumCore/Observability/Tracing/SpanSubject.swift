/// Names the attribute that says which order, payment, user or product a span concerns
/// (`emporium.order.id`), so that a thing's traces are found by its id.
enum SpanSubject {
    /// The attribute for the item `id` of `collection` (`orders`, `payments`…), if it is one of
    /// the platform's own.
    static func attribute(collection: Substring?, id: Substring?) -> (key: String, id: String)? {
        guard let collection, let id, collection != id, let key = keys[collection] else { return nil }
        return (key, String(id))
    }

    private static let keys: [Substring: String] = [
        "orders": "emporium.order.id", "payments": "emporium.payment.id", "users": "emporium.user.id",
        "products": "emporium.product.id", "notifications": "emporium.notification.id",
    ]
}
