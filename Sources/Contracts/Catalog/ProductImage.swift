public import Foundation

/// One picture of a product, as the catalog lists it: where to fetch it, what it shows, its type.
public struct ProductImage: Codable, Sendable, Hashable {
    /// The largest image an admin may upload, in bytes.
    public static let maxBytes = 2 * 1024 * 1024
    /// The most images a product has.
    public static let maxPerProduct = 8
    /// The upload route's path (`POST`, admins; the body is the image's bytes).
    public static let uploadPath = "/api/v1/products/{id}/images"
    /// The back office's upload form's path at the storefront (`POST`, `multipart/form-data`),
    /// which the gateway forwards with the same larger limit.
    public static let formUploadPath = "/admin/products/{id}/images"
    /// The largest upload form the storefront and the gateway take: twice a picture's limit, so
    /// that a picture a little too large reaches the back office and is refused beside its field.
    public static let formUploadMaxBytes = 2 * maxBytes

    /// The image's id.
    public var id: UUID
    /// Where to fetch it: `/api/v1/products/{id}/images/{imageId}`, through the gateway.
    public var url: String
    /// What it shows, for people who cannot see it.
    public var alt: String
    /// `image/png`, `image/jpeg`, `image/webp`, or `image/svg+xml` for the demo illustrations.
    public var contentType: String

    /// Creates an image of product `productID`.
    public init(id: UUID, productID: UUID, alt: String, contentType: String) {
        self.id = id
        self.url = "/api/v1/products/\(productID.uuidString)/images/\(id.uuidString)"
        self.alt = alt
        self.contentType = contentType
    }
}
