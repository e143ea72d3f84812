import Contracts
import EmporiumCore
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The products' pictures: admins upload them (the body is the image's bytes, its kind told by
/// those bytes, at most ``ProductImage/maxBytes``) and delete them, all but the last; anyone fetches them, with an
/// `ETag`, and caches them for good, as a picture's bytes never change under its id.
struct ProductImageHandlers: Sendable {
    let database: ServiceDatabase

    /// `POST /api/v1/products/{id}/images?alt=…`.
    @Sendable func upload(_ request: Request, context: EmporiumRequestContext) async throws -> EditedResponse<ProductImage> {
        _ = try context.requireRole(.admin)
        let product = try context.parameters.requireUUID("id", naming: "product")
        let alt = try InputText.required(
            request.uri.queryParameters.get("alt") ?? "", field: "alt", subject: "The image's description (alt)", max: 200)
        let body = try await request.body.collect(upTo: ProductImage.maxBytes)
        let bytes = Data(body.readableBytesView)
        guard !bytes.isEmpty else {
            // An empty body is no picture either: the same answer as any other bytes that are none.
            throw Problem(.unsupportedMediaType, detail: "The body is empty: send the PNG, JPEG or WebP image's bytes as the request body.")
        }
        guard let type = ImageType.sniff(bytes) else {
            throw Problem(
                .unsupportedMediaType,
                detail: "The body is not a PNG, JPEG or WebP image: its first bytes are none of theirs, whatever its name or Content-Type say.")
        }
        let image = try await database.database(logger: context.logger).transaction { transaction in
            let store = try ProductImageStore(transaction)
            guard try await store.lockLiveProduct(product) else { throw Problem(.notFound, detail: "There is no product \(product).") }
            guard try await store.count(of: product) < ProductImage.maxPerProduct else {
                throw Problem(
                    .tooManyImages, detail: "A product has at most \(ProductImage.maxPerProduct) images; delete one before adding another.")
            }
            return try await store.add(to: product, bytes: bytes, type: type.rawValue, alt: alt)
        }
        context.logger.info("Product image added", metadata: ["product": "\(product)", "image": "\(image.id)", "bytes": "\(bytes.count)"])
        return EditedResponse(status: .created, headers: [.location: image.url], response: image)
    }

    /// `GET /api/v1/products/{id}/images/{imageId}`: the bytes, or 304 when the client has them.
    @Sendable func serve(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        let product = try context.parameters.requireUUID("id", naming: "product")
        let image = try context.parameters.requireUUID("imageId", naming: "image")
        guard let stored = try await ProductImageStore(database.reader(logger: context.logger)).find(image, of: product) else {
            throw Problem(.notFound, detail: "Product \(product) has no image \(image).")
        }
        var headers: HTTPFields = [
            .eTag: stored.etag,
            .cacheControl: "public, max-age=31536000, immutable",
            // An SVG is a document: here it may draw, never run script or load anything.
            HTTPField.Name("Content-Security-Policy")!: "default-src 'none'; style-src 'unsafe-inline'; sandbox",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        ]
        if let sent = request.headers[.ifNoneMatch], sent.split(separator: ",").contains(where: { $0.trimmingWhitespace == stored.etag }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = stored.content_type
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: stored.bytes)))
    }

    /// `DELETE /api/v1/products/{id}/images/{imageId}`.
    @Sendable func delete(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        _ = try context.requireRole(.admin)
        let product = try context.parameters.requireUUID("id", naming: "product")
        let image = try context.parameters.requireUUID("imageId", naming: "image")
        try await database.database(logger: context.logger).transaction { transaction in
            let store = try ProductImageStore(transaction)
            guard try await store.lockLiveProduct(product), try await store.delete(image, of: product) else {
                throw Problem(.notFound, detail: "Product \(product) has no image \(image).")
            }
            // Thrown, the removal is rolled back with the transaction.
            guard try await store.count(of: product) > 0 else {
                throw Problem(.lastImage, detail: "A product keeps at least one image; add another before removing this one.")
            }
        }
        return Response(status: .noContent)
    }
}

extension ProblemType {
    /// A product has as many images as it may.
    static let tooManyImages = ProblemType(slug: "too-many-images", title: "The product has all the images it may", status: .conflict)
    /// A product's only image cannot be removed.
    static let lastImage = ProblemType(slug: "last-image", title: "The product's only image", status: .conflict)
}
