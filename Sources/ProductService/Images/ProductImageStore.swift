import Contracts
import Crypto
import EmporiumCore
import FluentKit
import Foundation
import SQLKit

/// The products' pictures in the Product Service's database.
struct ProductImageStore {
    let sql: any SQLDatabase

    init(_ database: any Database) throws { sql = try database.sql }

    /// One stored picture, with what serving it needs.
    struct Stored: Decodable {
        var content_type: String
        var etag: String
        var bytes: Data
    }

    private struct Listed: Decodable {
        var id: UUID
        var product_id: UUID
        var alt: String
        var content_type: String
    }

    /// The pictures of each of `products`, in their order; a product without any has none listed.
    func images(of products: [UUID]) async throws -> [UUID: [ProductImage]] {
        guard !products.isEmpty else { return [:] }
        let rows = try await sql.select().columns("id", "product_id", "alt", "content_type").from("product_images")
            .where("product_id", .in, SQLGroupExpression(SQLList(products.map { SQLBind($0) })))
            .orderBy("product_id").orderBy("position").orderBy("id")
            .all(decoding: Listed.self)
        return Dictionary(grouping: rows, by: \.product_id).mapValues { rows in
            rows.map { ProductImage(id: $0.id, productID: $0.product_id, alt: $0.alt, contentType: $0.content_type) }
        }
    }

    /// `products` with their pictures.
    func attach(to products: [ProductRepresentation]) async throws -> [ProductRepresentation] {
        let images = try await images(of: products.map(\.id))
        return products.map {
            var product = $0
            product.images = images[$0.id] ?? []
            return product
        }
    }

    /// Locks live `product`'s row until the transaction ends (on PostgreSQL; SQLite runs one
    /// writer at a time), so that two changes to its pictures cannot both pass a count that holds
    /// for each alone. False when there is no such product.
    func lockLiveProduct(_ product: UUID) async throws -> Bool {
        let lock = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        return try await sql.raw("SELECT id FROM products WHERE id = \(bind: product) AND deleted_at IS NULL\(unsafeRaw: lock)").first() != nil
    }

    /// Adds the picture drawn for a product (its category's motif, in a colour taken from its
    /// SKU), so that it has one before an admin uploads any.
    func addIllustration(to product: UUID, sku: String, name: String, category: String) async throws -> ProductImage {
        try await add(
            to: product, bytes: Data(DemoIllustration.svg(sku: sku, category: category).utf8), type: "image/svg+xml",
            alt: "Illustration of the \(name)")
    }

    /// The advisory lock's key under which one instance at a time draws missing pictures.
    static let illustrationLock: Int64 = 0x5049_4354  // "PICT"

    /// Draws a picture for every live product that has none: those of a catalog from before
    /// pictures existed, or whose pictures were lost. Run at each start.
    func illustrateProductsWithoutPictures() async throws -> Int {
        struct Bare: Decodable {
            var id: UUID
            var sku: String
            var name: String
            var category: String
        }
        // Instances starting together take turns, so that none draws what another just drew.
        if sql.dialect.name == "postgresql" { try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: Self.illustrationLock))").run() }
        let bare = try await sql.raw(
            "SELECT id, sku, name, category FROM products WHERE deleted_at IS NULL AND id NOT IN (SELECT product_id FROM product_images)"
        ).all(decoding: Bare.self)
        for product in bare { _ = try await addIllustration(to: product.id, sku: product.sku, name: product.name, category: product.category) }
        return bare.count
    }

    /// How many pictures `product` has.
    func count(of product: UUID) async throws -> Int {
        try await sql.count("SELECT COUNT(*) AS count FROM product_images WHERE product_id = \(bind: product)")
    }

    /// Adds a picture after `product`'s others.
    func add(to product: UUID, bytes: Data, type: String, alt: String) async throws -> ProductImage {
        let id = UUID()
        let position = try await count(of: product)
        let etag = "\"" + SHA256.hash(data: bytes).prefix(16).map { String(format: "%02x", $0) }.joined() + "\""
        try await sql.insert(into: "product_images")
            .columns("id", "product_id", "position", "content_type", "alt", "etag", "bytes", "created_at")
            .values(
                SQLBind(id), SQLBind(product), SQLBind(position), SQLBind(type), SQLBind(alt), SQLBind(etag), SQLBind(bytes),
                SQLBind(Date().timeIntervalSince1970)
            )
            .run()
        return ProductImage(id: id, productID: product, alt: alt, contentType: type)
    }

    /// Picture `image` of live `product`, or nil: a deleted product's pictures leave the catalog
    /// with it, though their rows stay with the product's.
    func find(_ image: UUID, of product: UUID) async throws -> Stored? {
        try await sql.raw(
            """
            SELECT i.content_type, i.etag, i.bytes FROM product_images i JOIN products p ON p.id = i.product_id
            WHERE i.id = \(bind: image) AND i.product_id = \(bind: product) AND p.deleted_at IS NULL
            """
        ).first(decoding: Stored.self)
    }

    /// Removes picture `image` of `product`; false when there was none.
    func delete(_ image: UUID, of product: UUID) async throws -> Bool {
        let removed = try await sql.delete(from: "product_images")
            .where("id", .equal, SQLBind(image)).where("product_id", .equal, SQLBind(product))
            .returning("id").all()
        return !removed.isEmpty
    }
}
