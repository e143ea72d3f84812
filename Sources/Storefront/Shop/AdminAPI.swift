import EmporiumClient
import Foundation
import OpenAPIRuntime

/// The public API as a signed-in admin: the catalog's writes and the back office's reads (every
/// order, any order's payments, the accounts). Error answers arrive as thrown ``APIProblem``s, as
/// from ``CustomerAPI``; the gateway and each service check the admin role again.
struct AdminAPI: Sendable {
    typealias Product = Components.Schemas.Product
    typealias NewProduct = Components.Schemas.NewProduct
    typealias ProductChanges = Components.Schemas.ProductChanges
    typealias Order = Components.Schemas.Order
    typealias OrderStatus = Components.Schemas.OrderStatus

    let shop: ShopAPI
    let token: String

    private func client() throws -> Client { try shop.client(token: token) }

    /// One page of the catalog, searched by `text` when it is not empty.
    func products(matching text: String, page: Int, perPage: Int) async throws -> Components.Schemas.ProductPage {
        try await shop.calling {
            try await client().listProducts(query: .init(page: page, perPage: perPage, q: text.isEmpty ? nil : text)).ok.body.json
        }
    }

    /// The product `id`, or nil when there is none.
    func product(_ id: String) async throws -> Product? {
        do {
            return try await shop.calling { try await client().getProduct(path: .init(id: id)).ok.body.json }
        } catch let problem as APIProblem where problem.status == 404 || problem.status == 400 {
            return nil
        }
    }

    /// Adds a product to the catalog.
    func create(_ product: NewProduct) async throws -> Product {
        try await shop.calling { try await client().createProduct(body: .json(product)).created.body.json }
    }

    /// Changes product `id`.
    func update(_ id: String, _ changes: ProductChanges) async throws -> Product {
        try await shop.calling { try await client().updateProduct(path: .init(id: id), body: .json(changes)).ok.body.json }
    }

    /// Removes product `id` from the catalog.
    func delete(_ id: String) async throws {
        _ = try await shop.calling { try await client().deleteProduct(path: .init(id: id)).noContent }
    }

    /// Adds a picture to product `id`: the file's bytes, which the catalog reads to tell their type.
    func addPicture(to id: String, bytes: Data, alt: String) async throws {
        _ = try await shop.calling {
            try await client().addProductImage(path: .init(id: id), query: .init(alt: alt), body: .binary(HTTPBody(bytes))).created
        }
    }

    /// Removes picture `imageId` of product `id`; one that is gone already counts as removed.
    func removePicture(_ imageId: String, of id: String) async throws {
        do {
            _ = try await shop.calling { try await client().deleteProductImage(path: .init(id: id, imageId: imageId)).noContent }
        } catch let problem as APIProblem where problem.status == 404 {
            return
        }
    }

    /// One page of every customer's orders, newest first, in `status` only when given.
    func orders(status: OrderStatus?, page: Int, perPage: Int) async throws -> Components.Schemas.OrderPage {
        try await shop.calling { try await client().listAllOrders(query: .init(status: status, page: page, perPage: perPage)).ok.body.json }
    }

    /// Any customer's order `id`, or nil when there is none.
    func order(_ id: String) async throws -> Order? {
        do {
            return try await shop.calling { try await client().getAnyOrder(path: .init(id: id)).ok.body.json }
        } catch let problem as APIProblem where problem.status == 404 || problem.status == 400 {
            return nil
        }
    }

    /// Every payment attempt of order `id`, newest first.
    func payments(ofOrder id: String) async throws -> [CustomerAPI.Payment] {
        try await shop.calling { try await client().listOrderPayments(query: .init(orderId: id, page: 1, perPage: 100)).ok.body.json.value2.items }
    }

    /// One page of the accounts, by e-mail.
    func customers(page: Int, perPage: Int) async throws -> Components.Schemas.UserPage {
        try await shop.calling { try await client().listUsers(query: .init(page: page, perPage: perPage)).ok.body.json }
    }
}
