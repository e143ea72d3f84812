public import Contracts
public import EmporiumCore
public import Logging
import NIOCore
import NIOHTTP1

/// The real client of the Stripe-style payment gateway: form-encoded requests, JSON answers,
/// `Authorization: Bearer <secret key>`, and an `Idempotency-Key` on every call — which is what
/// makes both calls safe to retry after a failure.
public struct PaymentGatewayClient: PaymentProcessor {
    let dependency: DependencyClient
    let secretKey: String

    /// Creates a client.
    /// - Parameters:
    ///   - dependency: The gateway's location, breaker and deadline.
    ///   - secretKey: The account's secret key.
    public init(dependency: DependencyClient, secretKey: String) {
        self.dependency = dependency
        self.secretKey = secretKey
    }

    public func charge(_ amount: Money, paymentMethod: String, idempotencyKey: String, metadata: [String: String], logger: Logger) async throws
        -> ChargeOutcome
    {
        var form = ["amount": String(amount.amount), "currency": amount.currency.lowercased(), "payment_method": paymentMethod, "confirm": "true"]
        for (key, value) in metadata { form["metadata[\(key)]"] = value }
        let response = try await post("/v1/payment_intents", form: form, idempotencyKey: idempotencyKey, logger: logger)
        if response.isSuccess {
            let intent = try response.decode(PaymentIntentObject.self, from: dependency.location.name)
            guard intent.status == "succeeded" else {
                throw DependencyFailure(dependency: dependency.location.name, reason: "answered a charge with status \(intent.status)")
            }
            return .succeeded(reference: intent.id)
        }
        let error = try refusal(response)
        guard response.status == 402 else { throw PaymentGatewayRefusal(parameter: error.param, code: error.code, message: error.message) }
        return .declined(reference: error.payment_intent?.id, reason: error.decline_code ?? error.code ?? "card_declined", message: error.message)
    }

    public func refund(charge: String, idempotencyKey: String, logger: Logger) async throws -> RefundReceipt {
        let response = try await post("/v1/refunds", form: ["payment_intent": charge], idempotencyKey: idempotencyKey, logger: logger)
        guard response.isSuccess else {
            let error = try refusal(response)
            throw PaymentGatewayRefusal(parameter: error.param, code: error.code, message: error.message)
        }
        let refund = try response.decode(RefundObject.self, from: dependency.location.name)
        return RefundReceipt(id: refund.id, amount: refund.amount)
    }

    private func post(_ path: String, form: [String: String], idempotencyKey: String, logger: Logger) async throws -> DependencyResponse {
        try await dependency.send(
            .POST,
            path,
            headers: [("Authorization", "Bearer \(secretKey)"), ("Idempotency-Key", idempotencyKey)],
            body: (ByteBuffer(string: FormEncoding.encode(form)), "application/x-www-form-urlencoded"),
            idempotent: true,
            logger: logger
        )
    }

    /// The error of a 4xx answer. A 401 (a wrong key) or 409 (the same key still in flight) is the
    /// gateway failing this service, not a refusal of the input.
    private func refusal(_ response: DependencyResponse) throws -> StripeError.Detail {
        let name = dependency.location.name
        guard response.status != 401, response.status != 409 else { throw DependencyFailure(dependency: name, reason: "answered \(response.status)") }
        return try response.decode(StripeError.self, from: name).error
    }
}
