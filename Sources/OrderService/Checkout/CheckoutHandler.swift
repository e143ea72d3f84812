import Contracts
import EmporiumCore
import Foundation
import Hummingbird
import Logging
import ShippingAPI

/// Checkout: validates the request, prices it (Product Service, shipping API), then stores the
/// order and its `OrderCreated` in one transaction. Needs an `Idempotency-Key`.
struct CheckoutHandler: Sendable {
    let resources: ServiceResources
    let pricing: OrderPricing
    let idempotency: IdempotentRequests
    let paymentWindow: Duration

    static let maxLines = 50
    static let maxQuantity = 100

    /// Places the caller's order.
    @Sendable func create(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        let customer = try context.requirePrincipal()
        return try await idempotency.respond(to: request, context: context, caller: customer.subject) { body in
            let order = try Self.validated(try request.decodeJSON(body, as: NewOrder.self, context: context))
            let quote = try await pricing.quote(order, logger: context.logger)
            let now = Date()
            let row = OrderRow(
                id: UUID(),
                customer_id: customer.subject,
                status: .pending,
                lines: String(decoding: try JSONEncoder().encode(quote.lines), as: UTF8.self),
                currency: quote.total.currency,
                subtotal: quote.subtotal.amount,
                shipping_amount: quote.shipping.amount.amount,
                total: quote.total.amount,
                shipping_service: quote.shipping.service,
                parcel_grams: quote.parcelGrams,
                shipping_address: String(decoding: try JSONEncoder().encode(order.shippingAddress), as: UTF8.self),
                stock_reserved: false,
                carrier: nil,
                tracking_number: nil,
                label_url: nil,
                created_at: now.timeIntervalSince1970,
                pay_by: now.addingTimeInterval(Double(paymentWindow.components.seconds)).timeIntervalSince1970,
                traceparent: RequestMetadata.current?.traceParent.description
            )
            let created = try await resources.outbox.transaction { transaction, events in
                let store = try OrderStore(transaction)
                try await store.place(row, lines: quote.lines, events: events)
                return try await store.representation(of: row)
            }
            context.logger.info("Order placed", metadata: ["order": "\(created.id)", "total": "\(created.total.amount) \(created.total.currency)"])
            return try EditedResponse(status: .created, headers: [.location: "/api/v1/orders/\(created.id)"], response: created)
                .response(from: request, context: context)
        }
    }

    /// `POST /api/v1/orders/quote`: what the caller's order would cost if placed now, priced as
    /// ``create(_:context:)`` prices it and refused for the same reasons, storing nothing.
    @Sendable func quote(_ request: Request, context: EmporiumRequestContext) async throws -> OrderQuote {
        _ = try context.requirePrincipal()
        let order = try Self.validated(try await request.decodeJSON(as: NewOrder.self, context: context))
        let quote = try await pricing.quote(order, logger: context.logger)
        return OrderQuote(
            lines: quote.lines, subtotal: quote.subtotal, shipping: quote.shipping.amount, carrier: quote.shipping.carrier,
            shippingService: quote.shipping.service, estimatedDays: quote.shipping.estimatedDays, total: quote.total)
    }

    /// The request with its address normalised, or a 400 problem naming the field at fault.
    static func validated(_ order: NewOrder) throws -> NewOrder {
        guard (1...maxLines).contains(order.items.count) else {
            throw Problem(.invalidField, detail: "An order has 1 to \(maxLines) items, got \(order.items.count).", field: "items")
        }
        var seen = Set<UUID>()
        for (index, item) in order.items.enumerated() {
            guard (1...maxQuantity).contains(item.quantity) else {
                throw Problem(
                    .invalidField, detail: "quantity must be from 1 to \(maxQuantity), got \(item.quantity).", field: "items[\(index)].quantity")
            }
            // The document cannot say "each product once" (its lines differ in quantity), so this is a 422.
            guard seen.insert(item.productId).inserted else {
                throw Problem(
                    .duplicateProduct, detail: "Each product may appear once; raise its quantity instead.", field: "items[\(index)].productId")
            }
        }
        if let currency = order.currency {
            guard currency.count == 3, currency.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
                throw Problem(.invalidField, detail: "currency must be an ISO 4217 code such as EUR, got \"\(currency)\".", field: "currency")
            }
        }
        return NewOrder(items: order.items, shippingAddress: try order.shippingAddress.validated(field: "shippingAddress"), currency: order.currency)
    }
}
