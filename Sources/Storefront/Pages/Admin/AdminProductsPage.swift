import Contracts
import EmporiumClient
import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import WebSupport

/// The back office's products: `/admin/products` lists and searches the catalog; `/admin/products/new`
/// creates a product, `/admin/products/{id}` edits one, and its delete form removes it. Every
/// change goes through the catalog's admin operations; their refusals show beside their field.
struct AdminProductsPage: Sendable {
    static let perPage = 25

    let tokens: AccessTokens
    let frame: PageFrame

    struct ListValues: Sendable {
        var chrome: PageChrome
        var products: [Row]
        var hasProducts: Bool
        var search: String
        var page: Int
        var pageCount: Int
        var previousPage: String?
        var nextPage: String?
        var notice: String?
    }

    struct Row: Sendable {
        var id: String
        var name: String
        var sku: String
        var category: String
        var price: String
        var stock: Int
    }

    struct FormValues: Sendable {
        var chrome: PageChrome
        var isNew: Bool
        var id: String
        var sku: String
        var form: ProductForm
        var notice: String?
        var noticeIsError: Bool
        var pictures: [Picture]
        var hasPictures: Bool
        /// Whether a picture may go: a product keeps one at least.
        var canRemovePicture: Bool
        /// Whether the product has room for another picture.
        var canAddPicture: Bool
        var maxPictures = ProductImage.maxPerProduct
        var upload: PictureForm
    }

    /// A picture of the product being edited, with its remove form.
    struct Picture: Sendable {
        /// Not `id`, which within the list would hide the product's.
        var imageId: String
        var url: String
        var alt: String
    }

    /// `GET /admin/products?q=…&page=…`.
    @Sendable func list(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.respond(to: request) { visit in
            let admin = try await tokens.adminAPI(for: visit)
            let query = request.formQuery
            let search = String((query["q"] ?? "").trimmingWhitespace.prefix(200))
            let page = PageNumbers.requested(query["page"])
            let found = try await admin.products(matching: search, page: page, perPage: Self.perPage)
            let pageCount = PageNumbers.count(total: found.value1.total, perPage: Self.perPage)
            let link = { (page: Int) in "/admin/products?" + FormEncoding.encode(["q": search, "page": "\(page)"]) }
            let values = ListValues(
                chrome: try await frame.chrome(title: "Products · Back office", visit: visit),
                products: found.value2.items.map {
                    Row(
                        id: $0.id, name: $0.name, sku: $0.sku, category: $0.category,
                        price: MoneyText.format($0.price.amount, currency: $0.price.currency), stock: $0.stock)
                },
                hasProducts: !found.value2.items.isEmpty, search: search, page: page, pageCount: pageCount,
                previousPage: page > 1 ? link(page - 1) : nil, nextPage: page < pageCount ? link(page + 1) : nil,
                notice: query["done"] == "deleted" ? "The product is deleted." : nil)
            return try frame.renderer.page("admin-products", values)
        }
    }

    /// `GET /admin/products/new`.
    @Sendable func new(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.respond(to: request) { visit in
            _ = try await tokens.adminAPI(for: visit)
            return try await form(for: visit, product: nil, form: ProductForm(isNew: true) { $0 == "stock" ? "0" : nil })
        }
    }

    /// `POST /admin/products`.
    @Sendable func create(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.submit(request, context: context) { visit, submitted in
            let admin = try await tokens.adminAPI(for: visit)
            var form = ProductForm(isNew: true) { submitted[$0] }
            guard let product = form.newProduct() else { return try await self.form(for: visit, product: nil, form: form, refused: nil) }
            do {
                let created = try await admin.create(product)
                context.logger.info("A product was created in the back office", metadata: ["product": "\(created.id)"])
                return PageFrame.seeOther("/admin/products/\(created.id)?done=created")
            } catch let problem as APIProblem where [400, 409, 422].contains(problem.status) {
                return try await self.form(for: visit, product: nil, form: form, refused: problem)
            }
        }
    }

    /// `GET /admin/products/{id}`.
    @Sendable func edit(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.respond(to: request) { visit in
            let admin = try await tokens.adminAPI(for: visit)
            let product = try await Self.product(context, admin)
            let notice: String? =
                switch request.formQuery["done"] {
                case "created": "The product is in the catalog."
                case "saved": "The changes are saved; the catalog shows them now."
                case "picture-added": "The picture is added; the shop shows it now."
                case "picture-removed": "The picture is removed."
                default: nil
                }
            return try await form(for: visit, product: product, form: ProductForm(product), notice: notice)
        }
    }

    /// `POST /admin/products/{id}`.
    @Sendable func save(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.submit(request, context: context) { visit, submitted in
            let admin = try await tokens.adminAPI(for: visit)
            let product = try await Self.product(context, admin)
            var form = ProductForm(isNew: false) { submitted[$0] }
            guard let changes = form.changes() else {
                return try await self.form(for: visit, product: product, form: form, refused: nil)
            }
            do {
                _ = try await admin.update(product.id, changes)
            } catch let problem as APIProblem where [400, 409, 422].contains(problem.status) {
                return try await self.form(for: visit, product: product, form: form, refused: problem)
            }
            return PageFrame.seeOther("/admin/products/\(product.id)?done=saved")
        }
    }

    /// `POST /admin/products/{id}/delete`.
    @Sendable func delete(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.submit(request, context: context) { visit, _ in
            let admin = try await tokens.adminAPI(for: visit)
            let product = try await Self.product(context, admin)
            try await admin.delete(product.id)
            context.logger.info("A product was deleted in the back office", metadata: ["product": "\(product.id)"])
            return PageFrame.seeOther("/admin/products?done=deleted")
        }
    }

    /// The form page, of a new product when `product` is nil; with `refused`, the API's refusal
    /// beside its field (or above the form); with an `upload` that has errors, those beside its fields.
    func form(
        for visit: Visit, product: AdminAPI.Product?, form: ProductForm, upload: PictureForm = PictureForm(), notice: String? = nil,
        refused: APIProblem? = nil
    ) async throws -> Response {
        var form = form
        let placed = refused.map { form.accept($0) } ?? true
        let isError = refused != nil || form.hasErrors || upload.hasErrors
        let pictures = (product?.images ?? []).map { Picture(imageId: $0.id, url: $0.url, alt: $0.alt) }
        let values = FormValues(
            chrome: try await frame.chrome(title: product == nil ? "New product · Back office" : "\(form["name"]) · Back office", visit: visit),
            isNew: product == nil, id: product?.id ?? "", sku: product?.sku ?? "", form: form,
            notice: placed ? (isError ? "Correct the fields marked below." : notice) : refused?.detail, noticeIsError: isError,
            pictures: pictures, hasPictures: !pictures.isEmpty, canRemovePicture: pictures.count > 1,
            canAddPicture: pictures.count < ProductImage.maxPerProduct, upload: upload)
        return try frame.renderer.page("admin-product", values, status: isError ? .unprocessableContent : .ok)
    }

    static func product(_ context: EmporiumRequestContext, _ admin: AdminAPI) async throws -> AdminAPI.Product {
        guard let id = context.parameters.get("id"), UUID(uuidString: id) != nil, let product = try await admin.product(id) else {
            throw PageError.notFound(what: "that product")
        }
        return product
    }
}
