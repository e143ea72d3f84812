import EmporiumClient
import EmporiumCore
import Foundation
import Hummingbird
import Logging
import WebSupport

/// `GET /products/{id}`: one product, with its quantity and add-to-cart form, and the products
/// most often bought with it; a real 404 page for a product the catalog does not have.
struct ProductPage: Sendable {
    let api: ShopAPI
    let frame: PageFrame

    struct Values: Sendable {
        var chrome: PageChrome
        var product: ProductView
        var added: Bool
        var companions: [ProductView]
        var hasCompanions: Bool { !companions.isEmpty }
    }

    /// How many products "Bought together" shows at most.
    static let companionCount = 4

    @Sendable func show(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.respond(to: request) { visit in
            guard let id = context.parameters.get("id"), UUID(uuidString: id) != nil, let product = try await api.product(id) else {
                throw PageError.notFound(what: "that product")
            }
            let view = ProductView(product)
            let values = Values(
                chrome: try await frame.chrome(title: view.name, visit: visit), product: view, added: request.formQuery["added"] == "1",
                companions: await companions(of: id, logger: context.logger))
            return try frame.renderer.page("product", values)
        }
    }

    /// What is bought together with product `id`; none when the API cannot say, as the product
    /// itself is what the page is for.
    private func companions(of id: String, logger: Logger) async -> [ProductView] {
        do {
            return try await api.boughtTogether(with: id, limit: Self.companionCount).map(ProductView.init)
        } catch {
            logger.notice("The product page shows no companions: the API did not list them", metadata: ["error": "\(error)"])
            return []
        }
    }
}
