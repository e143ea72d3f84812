import Contracts
import EmporiumCore
import Foundation
import Logging
import NIOHTTP1

/// The Order Service as the Payment Service reads it: an order's amount, owner and status, with
/// the Payment Service's own token (scope `orders.read`), not the customer's.
struct OrderDirectory: Sendable {
    let dependency: DependencyClient
    let tokens: ServiceTokenProvider

    /// The order, or nil if there is none with this id.
    func order(_ id: UUID, logger: Logger) async throws -> OrderRepresentation? {
        for attempt in 1...2 {
            let token: String
            do {
                token = try await tokens.token()
            } catch {
                throw DependencyFailure(dependency: "idp", reason: "did not issue the Payment Service's token: \(error)")
            }
            let response = try await dependency.send(
                .GET, "/api/v1/orders/\(id.uuidString)", headers: [("Authorization", "Bearer \(token)")], idempotent: true, logger: logger)
            switch response.status {
            case 200: return try response.decode(OrderRepresentation.self, from: dependency.location.name)
            case 404: return nil
            case 401 where attempt == 1:
                // Issued before a key rotation the Order Service has not seen, or expired in flight.
                await tokens.invalidate()
            default:
                throw DependencyFailure(dependency: dependency.location.name, reason: "answered \(response.status) for order \(id)")
            }
        }
        throw DependencyFailure(dependency: dependency.location.name, reason: "refused the Payment Service's token")
    }
}
