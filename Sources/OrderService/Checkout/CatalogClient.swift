import Contracts
import EmporiumCore
import Foundation
import Logging
import NIOHTTP1

/// The Product Service as checkout reads it: the current price and stock of each product ordered.
struct CatalogClient: Sendable {
    let dependency: DependencyClient

    /// The products of `ids` that exist and are on sale, by id (a product missing from the answer
    /// is unknown or deleted). Reads run concurrently and are retried on failure.
    func products(_ ids: [UUID], logger: Logger) async throws -> [UUID: ProductRepresentation] {
        try await withThrowingTaskGroup(of: ProductRepresentation?.self) { group in
            for id in ids {
                group.addTask {
                    let response = try await dependency.send(.GET, "/api/v1/products/\(id.uuidString)", idempotent: true, logger: logger)
                    if response.status == 404 { return nil }
                    guard response.isSuccess else {
                        throw DependencyFailure(dependency: dependency.location.name, reason: "answered \(response.status) for product \(id)")
                    }
                    return try response.decode(ProductRepresentation.self, from: dependency.location.name)
                }
            }
            var products: [UUID: ProductRepresentation] = [:]
            for try await product in group {
                if let product { products[product.id] = product }
            }
            return products
        }
    }
}
