import EmporiumClient
import EmporiumCore
import Foundation
import Hummingbird
import Logging

/// The product form's pictures: `/admin/products/{id}/images` adds one (a form with a file, up to
/// ``Contracts/ProductImage/formUploadMaxBytes``), and each picture's remove form deletes it.
/// Both go through the catalog's picture operations; its refusals show beside the upload's fields.
extension AdminProductsPage {
    /// `POST /admin/products/{id}/images` (`multipart/form-data`: `csrf`, `picture`, `alt`).
    @Sendable func addPicture(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.submitUpload(request, context: context) { visit, submitted in
            let admin = try await tokens.adminAPI(for: visit)
            let product = try await Self.product(context, admin)
            var upload = PictureForm(alt: submitted["alt"] ?? "")
            let refusal = { (upload: PictureForm) in
                try await self.form(for: visit, product: product, form: ProductForm(product), upload: upload)
            }
            guard let bytes = upload.check(submitted.file("picture")) else { return try await refusal(upload) }
            do {
                try await admin.addPicture(to: product.id, bytes: bytes, alt: upload.alt)
            } catch let problem as APIProblem where [400, 409, 413, 415].contains(problem.status) {
                upload.accept(problem)
                return try await refusal(upload)
            }
            context.logger.info("A picture was added in the back office", metadata: ["product": "\(product.id)", "bytes": "\(bytes.count)"])
            return PageFrame.seeOther("/admin/products/\(product.id)?done=picture-added#pictures")
        }
    }

    /// `POST /admin/products/{id}/images/{imageId}/delete`.
    @Sendable func removePicture(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.submit(request, context: context) { visit, _ in
            let admin = try await tokens.adminAPI(for: visit)
            let product = try await Self.product(context, admin)
            guard let image = context.parameters.get("imageId"), UUID(uuidString: image) != nil else {
                throw PageError.notFound(what: "that picture")
            }
            do {
                try await admin.removePicture(image, of: product.id)
            } catch let problem as APIProblem where problem.status == 409 {
                // Its last picture, removed in another tab: the catalog's reason above the form.
                return try await self.form(for: visit, product: product, form: ProductForm(product), refused: problem)
            }
            context.logger.info("A picture was removed in the back office", metadata: ["product": "\(product.id)", "image": "\(image)"])
            return PageFrame.seeOther("/admin/products/\(product.id)?done=picture-removed#pictures")
        }
    }
}
