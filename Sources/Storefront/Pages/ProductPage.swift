import EmporiumClient
import EmporiumCore
import Foundation
import Hummingbird

/// `GET /products/{id}`: one product, with its quantity and add-to-cart form; a real 404 page
/// for a product the catalog does not have.
struct ProductPage: Sendable {
    let api: ShopAPI
    let frame: PageFrame

    struct Values: Sendable {
        var chrome: PageChrome
        var product: ProductView
        var added: Bool
    }

    @Sendable func show(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.respond(to: request) { visit in
            guard let id = context.parameters.get("id"), UUID(uuidString: id) != nil, let product = try await api.product(id) else {
                throw PageError.notFound(what: "that product")
            }
            let view = ProductView(product)
            let values = Values(
                chrome: try await frame.chrome(title: view.name, visit: visit), product: view, added: request.formQuery["added"] == "1")
            return try frame.renderer.page("product", values)
        }
    }
}
