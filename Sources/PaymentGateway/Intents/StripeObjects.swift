/// A payment intent, as Stripe's API shows one (the fields Emporium uses).
struct PaymentIntentObject: Codable, Sendable, Equatable {
    var id: String
    var object = "payment_intent"
    var amount: Int
    var amount_received: Int
    var amount_refunded: Int
    var currency: String
    var payment_method: String
    /// `succeeded`, or `requires_payment_method` after a decline.
    var status: String
    var last_payment_error: PaymentError?
    var metadata: [String: String]
    var created: Int

    struct PaymentError: Codable, Sendable, Equatable {
        var type = "card_error"
        var code = "card_declined"
        var decline_code: String
        var message: String
    }
}

/// A refund, as Stripe shows one.
struct RefundObject: Codable, Sendable, Equatable {
    var id: String
    var object = "refund"
    var amount: Int
    var currency: String
    var payment_intent: String
    var status = "succeeded"
    var created: Int
}

/// Stripe's error body: `{"error": {"type", "code", "message", "param"}}`.
struct StripeError: Error, Codable, Sendable {
    struct Detail: Codable, Sendable {
        var type: String
        var code: String?
        var decline_code: String?
        var message: String
        var param: String?
        var payment_intent: PaymentIntentObject?
    }

    var error: Detail
    /// The HTTP status it is answered with (not part of the body).
    var status: Int

    enum CodingKeys: String, CodingKey { case error }

    init(status: Int, type: String, code: String? = nil, message: String, param: String? = nil) {
        self.error = Detail(type: type, code: code, message: message, param: param)
        self.status = status
    }

    init(from decoder: any Decoder) throws {
        error = try decoder.container(keyedBy: CodingKeys.self).decode(Detail.self, forKey: .error)
        status = 0
    }

    static func invalid(_ message: String, param: String? = nil, code: String = "parameter_invalid") -> StripeError {
        StripeError(status: 400, type: "invalid_request_error", code: code, message: message, param: param)
    }
}
