import Contracts
import EmporiumCore
import Hummingbird

/// Every route the Product Service serves, with its handler: the catalog's reads (its pictures,
/// and what is bought together) for anyone, its writes (and picture uploads) for admins. Every component also answers `/health/…` and `/metrics`; a method a path
/// does not list answers 405 with `Allow`.
struct ProductServiceRoutes: Sendable {
    let reads: CatalogReads
    let writes: CatalogWrites
    let boughtTogether: BoughtTogetherReads
    let images: ProductImageHandlers

    /// Its dead letters, for admins (`/api/v1/admin/dead-letters/product`).
    let deadLetters: DeadLetterRoutes

    func register(on router: Router<EmporiumRequestContext>) {
        router.resource("/api/v1/products") { routes in
            routes.get(use: reads.list)
            routes.post(use: writes.create)
        }
        router.resource("/api/v1/products/{id}") { routes in
            routes.get(use: reads.show)
            routes.patch(use: writes.update)
            routes.delete(use: writes.delete)
        }
        router.resource(RouterPath(ProductImage.uploadPath)) { routes in
            routes.post(use: images.upload)
        }
        router.resource("/api/v1/products/{id}/images/{imageId}") { routes in
            routes.get(use: images.serve)
            routes.delete(use: images.delete)
        }
        router.resource("/api/v1/products/{id}/bought-together") { routes in
            routes.get(use: boughtTogether.list)
        }
        deadLetters.register(on: router)
    }
}
