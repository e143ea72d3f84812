import Contracts
import EmporiumCore
import FluentKit
import Foundation
import Hummingbird

/// The catalog's writes, for admins: create, change and (softly) delete a product. Each write
/// and its `ProductUpdated` — with the fields that changed and the product's new version — commit
/// in one transaction.
struct CatalogWrites: Sendable {
    let resources: ServiceResources

    /// Adds a product.
    @Sendable func create(_ request: Request, context: EmporiumRequestContext) async throws -> EditedResponse<ProductRepresentation> {
        _ = try context.requireRole(.admin)
        let input = try await request.decodeJSON(as: NewProduct.self, context: context)
        let record = ProductRecord(
            sku: try CatalogValidation.sku(input.sku),
            name: try CatalogValidation.text(input.name, field: "name", max: 200),
            description: try CatalogValidation.text(input.description, field: "description", max: 2000),
            category: try CatalogValidation.category(input.category),
            price: try CatalogValidation.price(input.price),
            stock: try CatalogValidation.stock(input.stock)
        )
        let db = resources.database.database(logger: context.logger)
        if try await ProductRecord.query(on: db).filter(\.$sku == record.sku).first() != nil { throw Self.skuTaken(record.sku) }
        let product: ProductRepresentation
        do {
            product = try await resources.outbox.transaction { transaction, events in
                try await record.create(on: transaction)
                var product = try record.representation()
                let fields = ["sku", "name", "description", "category", "price", "stock"]
                try await events.add(ProductUpdated(version: record.version, changedFields: fields, deleted: false, product: product))
                // A product has a picture from the start: a drawn one, until an admin uploads another.
                product.images = [
                    try await ProductImageStore(transaction).addIllustration(
                        to: product.id, sku: product.sku, name: product.name, category: product.category)
                ]
                return product
            }
        } catch {
            // Two admins racing for one SKU: the unique index decides, and the loser gets the 409.
            if try await ProductRecord.query(on: db).filter(\.$sku == record.sku).first() != nil { throw Self.skuTaken(record.sku) }
            throw error
        }
        return EditedResponse(status: .created, headers: [.location: "/api/v1/products/\(product.id)"], response: product)
    }

    @Sendable func update(_ request: Request, context: EmporiumRequestContext) async throws -> ProductRepresentation {
        _ = try context.requireRole(.admin)
        let id = try context.parameters.requireUUID("id", naming: "product")
        let changes = try await request.decodeJSON(as: ProductChanges.self, context: context)
        let name = try changes.name.map { try CatalogValidation.text($0, field: "name", max: 200) }
        let description = try changes.description.map { try CatalogValidation.text($0, field: "description", max: 2000) }
        let category = try changes.category.map(CatalogValidation.category)
        let price = try changes.price.map(CatalogValidation.price)
        let stock = try changes.stock.map(CatalogValidation.stock)
        let updated = try await resources.outbox.transaction { transaction, events in
            guard let record = try await ProductRecord.find(id, on: transaction), record.deletedAt == nil else {
                throw Problem(.notFound, detail: "There is no product \(id).")
            }
            var changed: [String] = []
            if let name, name != record.name {
                record.name = name
                changed.append("name")
            }
            if let description, description != record.description {
                record.description = description
                changed.append("description")
            }
            if let category, category != record.category {
                record.category = category
                changed.append("category")
            }
            if let price, price.amount != record.priceAmount {
                record.priceAmount = price.amount
                changed.append("price")
            }
            if let stock, stock != record.stock {
                record.stock = stock
                changed.append("stock")
            }
            // Nothing changed: no new version and no event.
            guard !changed.isEmpty else { return try record.representation() }
            record.version += 1
            record.refreshSearchText()
            try await record.save(on: transaction)
            let product = try record.representation()
            try await events.add(ProductUpdated(version: record.version, changedFields: changed, deleted: false, product: product))
            return product
        }
        return try await ProductImageStore(resources.database.reader(logger: context.logger)).attach(to: [updated])[0]
    }

    @Sendable func delete(_ request: Request, context: EmporiumRequestContext) async throws -> HTTPResponse.Status {
        _ = try context.requireRole(.admin)
        let id = try context.parameters.requireUUID("id", naming: "product")
        try await resources.outbox.transaction { transaction, events in
            guard let record = try await ProductRecord.find(id, on: transaction), record.deletedAt == nil else {
                throw Problem(.notFound, detail: "There is no product \(id).")
            }
            // Soft: orders and events keep referring to the product; it only leaves the catalog.
            record.deletedAt = Date()
            record.version += 1
            try await record.save(on: transaction)
            try await events.add(
                ProductUpdated(version: record.version, changedFields: ["deleted"], deleted: true, product: try record.representation()))
        }
        return .noContent
    }

    static func skuTaken(_ sku: String) -> Problem {
        Problem(.skuTaken, detail: "A product with the SKU \(sku) already exists.", field: "sku")
    }
}

extension ProblemType {
    /// A new product's SKU is in use.
    static let skuTaken = ProblemType(slug: "sku-taken", title: "The SKU is already in use", status: .conflict)
}
