import Contracts
import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PaymentGateway
import SQLKit

/// Paying an order and reading payments: a payment (needs an `Idempotency-Key`) charges the
/// caller's order, 201 with the payment when the charge succeeds, a 402 problem when it is
/// declined; the list and the payment by id show the caller's own payments only.
struct PaymentHandlers: Sendable {
    let resources: ServiceResources
    let orders: OrderDirectory
    let charges: ChargeProcessor
    let idempotency: IdempotentRequests

    /// Pays the caller's order.
    @Sendable func pay(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        let customer = try context.requirePrincipal()
        return try await idempotency.respond(to: request, context: context, caller: customer.subject) { body in
            let input = try request.decodeJSON(body, as: NewPayment.self, context: context)
            let method = try Self.paymentMethod(input.paymentMethod)
            guard let order = try await orders.order(input.orderId, logger: context.logger), order.customerId == customer.subject else {
                throw Problem(.notFound, detail: "There is no order \(input.orderId).", field: "orderId")
            }
            switch order.status {
            case .awaitingPayment, .paymentFailed:
                break
            case .pending:
                throw Problem(
                    .orderNotPayable, detail: "The order's stock is still being reserved; pay in a moment.", field: "orderId",
                    headers: [.retryAfter: "1"])
            default:
                throw Problem(.orderNotPayable, detail: "The order is \(order.status.rawValue) and cannot be paid.", field: "orderId")
            }
            let started = try await charges.start(order: order, paymentMethod: method)
            let payment: PaymentRow
            do {
                payment = try await charges.complete(started)
            } catch let refusal as PaymentGatewayRefusal {
                throw Problem(
                    .paymentMethodRefused, detail: "The payment gateway refused the payment method: \(refusal.message)", field: "paymentMethod")
            } catch is DependencyFailure, is CircuitOpen {
                throw Problem(
                    .serviceUnavailable,
                    detail:
                        "The payment gateway did not answer. Payment \(started.id) is processing and will be completed shortly; see GET /api/v1/payments/\(started.id).",
                    headers: [.retryAfter: "5"]
                )
            }
            guard payment.status == .succeeded else {
                throw Problem(
                    .paymentDeclined,
                    detail: "The payment was declined (\(payment.failure_reason ?? "declined")); the order can be paid again with another method.",
                    field: "paymentMethod"
                )
            }
            context.logger.info("Payment succeeded", metadata: ["payment": "\(payment.id)", "order": "\(payment.order_id)"])
            return try EditedResponse(status: .created, headers: [.location: "/api/v1/payments/\(payment.id)"], response: payment.representation)
                .response(from: request, context: context)
        }
    }

    /// The caller's payments, a page at a time.
    @Sendable func list(_ request: Request, context: EmporiumRequestContext) async throws -> Contracts.Page<PaymentRepresentation> {
        let customer = try context.requirePrincipal()
        let paging = try PageRequest(query: request.uri.queryParameters)
        let (rows, total) = try await PaymentStore(resources.database.reader(logger: context.logger)).page(of: customer.subject, paging: paging)
        return Contracts.Page(items: rows.map(\.representation), page: paging.page, perPage: paging.perPage, total: total)
    }

    /// One of the caller's payments.
    @Sendable func show(_ request: Request, context: EmporiumRequestContext) async throws -> PaymentRepresentation {
        let customer = try context.requirePrincipal()
        let id = try context.parameters.requireUUID("id", naming: "payment")
        guard let row = try await PaymentStore(resources.database.reader(logger: context.logger)).find(id), row.customer_id == customer.subject
        else {
            throw Problem(.notFound, detail: "There is no payment \(id).")
        }
        return row.representation
    }

    /// A payment method id as the gateway names them (`pm_card_visa`), or a 400 naming the field.
    static func paymentMethod(_ method: String) throws -> String {
        let valid =
            (1...100).contains(method.count)
            && method.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || $0 == "_" }
        guard valid else {
            throw Problem(.invalidField, detail: "paymentMethod must be a payment method id such as pm_card_visa.", field: "paymentMethod")
        }
        return method
    }
}

extension ProblemType {
    /// The order is not in a state that can be paid.
    static let orderNotPayable = ProblemType(slug: "order-not-payable", title: "The order cannot be paid now", status: .conflict)
    /// The payment gateway does not know the payment method, or will not take it.
    static let paymentMethodRefused = ProblemType(
        slug: "payment-method-refused", title: "The payment method was refused", status: .unprocessableContent)
    /// The card was declined.
    static let paymentDeclined = ProblemType(
        slug: "payment-declined", title: "The payment was declined", status: HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required"))
}
