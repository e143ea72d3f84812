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

    /// Picture `image` of `product`, or nil.
    func find(_ image: UUID, of product: UUID) async throws -> Stored? {
        try await sql.select().columns("content_type", "etag", "bytes").from("product_images")
            .where("id", .equal, SQLBind(image)).where("product_id", .equal, SQLBind(product))
            .first(decoding: Stored.self)
    }

    /// Removes picture `image` of `product`; false when there was none.
    func delete(_ image: UUID, of product: UUID) async throws -> Bool {
        let removed = try await sql.delete(from: "product_images")
            .where("id", .equal, SQLBind(image)).where("product_id", .equal, SQLBind(product))
            .returning("id").all()
        return !removed.isEmpty
    }
}
