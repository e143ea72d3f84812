import EmporiumCore
import FluentKit
import Foundation
import SQLKit

/// Whose cart it is: a visitor's, by their session, or a signed-in customer's, by their account.
struct CartOwner: Sendable, Hashable {
    /// The key its lines are stored under.
    let key: String

    /// The cart of the session with storage key `sessionKey`.
    static func visitor(sessionKey: String) -> CartOwner { CartOwner(key: "visitor:" + sessionKey) }

    /// The cart of the account `subject`, in every browser it signs in from.
    static func customer(_ subject: String) -> CartOwner { CartOwner(key: "customer:" + subject) }
}

/// One line of a cart as stored: the product and how many.
struct StoredCartLine: Sendable, Equatable, Decodable {
    var productID: String
    var quantity: Int

    enum CodingKeys: String, CodingKey {
        case productID = "product_id"
        case quantity
    }
}

/// The carts, in the storefront's own database, so that every instance sees the same.
struct CartStore: Sendable {
    /// The most units of one product a cart holds: the most one order line may ask for.
    static let maxQuantity = 100

    let database: ServiceDatabase

    /// The cart's lines, oldest first.
    func lines(of owner: CartOwner) async throws -> [StoredCartLine] {
        try await database.reader().sql.raw(
            "SELECT product_id, quantity FROM cart_lines WHERE owner = \(bind: owner.key) ORDER BY added_at, product_id"
        ).all(decoding: StoredCartLine.self)
    }

    /// How many units the cart holds.
    func unitCount(of owner: CartOwner) async throws -> Int {
        // PostgreSQL sums a BIGINT column as NUMERIC: cast back, so both databases answer an integer.
        try await database.reader().sql.count(
            "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) AS count FROM cart_lines WHERE owner = \(bind: owner.key)")
    }

    /// Adds `quantity` units of a product, up to ``maxQuantity`` in all; returns the line's new quantity.
    @discardableResult
    func add(_ quantity: Int, of productID: String, to owner: CartOwner) async throws -> Int {
        try await database.transaction { database in
            let sql = try database.sql
            let existing = try await sql.raw(
                "SELECT product_id, quantity FROM cart_lines WHERE owner = \(bind: owner.key) AND product_id = \(bind: productID)"
            ).first(decoding: StoredCartLine.self)
            let total = min(Self.maxQuantity, (existing?.quantity ?? 0) + quantity)
            if existing == nil {
                try await sql.raw(
                    """
                    INSERT INTO cart_lines (owner, product_id, quantity, added_at)
                    VALUES (\(bind: owner.key), \(bind: productID), \(bind: total), \(bind: Date().timeIntervalSince1970))
                    """
                ).run()
            } else {
                try await sql.raw(
                    "UPDATE cart_lines SET quantity = \(bind: total) WHERE owner = \(bind: owner.key) AND product_id = \(bind: productID)"
                ).run()
            }
            return total
        }
    }

    /// Sets a line's quantity (at most ``maxQuantity``); zero removes it. A product not in the cart stays out.
    func setQuantity(_ quantity: Int, of productID: String, in owner: CartOwner) async throws {
        guard quantity > 0 else { return try await remove(productID, from: owner) }
        try await database.transaction { database in
            try await database.sql.raw(
                """
                UPDATE cart_lines SET quantity = \(bind: min(quantity, Self.maxQuantity))
                WHERE owner = \(bind: owner.key) AND product_id = \(bind: productID)
                """
            ).run()
        }
    }

    /// Moves every line of `visitor`'s cart into `customer`'s, adding quantities of a product in
    /// both (up to ``maxQuantity``): the cart a visitor filled is kept when they sign in.
    func merge(_ visitor: CartOwner, into customer: CartOwner) async throws {
        try await database.transaction { database in
            let sql = try database.sql
            let moving = try await sql.raw("SELECT product_id, quantity FROM cart_lines WHERE owner = \(bind: visitor.key)")
                .all(decoding: StoredCartLine.self)
            for line in moving {
                let existing = try await sql.raw(
                    "SELECT product_id, quantity FROM cart_lines WHERE owner = \(bind: customer.key) AND product_id = \(bind: line.productID)"
                ).first(decoding: StoredCartLine.self)
                if let existing {
                    try await sql.raw(
                        """
                        UPDATE cart_lines SET quantity = \(bind: min(Self.maxQuantity, existing.quantity + line.quantity))
                        WHERE owner = \(bind: customer.key) AND product_id = \(bind: line.productID)
                        """
                    ).run()
                } else {
                    try await sql.raw(
                        "UPDATE cart_lines SET owner = \(bind: customer.key) WHERE owner = \(bind: visitor.key) AND product_id = \(bind: line.productID)"
                    ).run()
                }
            }
            try await sql.raw("DELETE FROM cart_lines WHERE owner = \(bind: visitor.key)").run()
        }
    }

    /// Removes a product from the cart.
    func remove(_ productID: String, from owner: CartOwner) async throws {
        try await database.transaction { database in
            try await database.sql.raw("DELETE FROM cart_lines WHERE owner = \(bind: owner.key) AND product_id = \(bind: productID)").run()
        }
    }
}
