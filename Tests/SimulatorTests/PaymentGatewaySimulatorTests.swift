import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PaymentGateway
import SimulatorSupport
import Testing

/// The Stripe-style payment-gateway simulator, over HTTP as the Payment Service will call it.
@Suite(.timeLimit(.minutes(2))) struct PaymentGatewaySimulatorTests {
    static let key = "sk_test_simulator"

    func withGateway(latency: Duration = .zero, errorRate: Double = 0, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void)
        async throws
    {
        let settings = PaymentGatewaySettings(
            server: HTTPServerSettings(port: 0), database: .sqliteMemory, secretKey: Self.key,
            faults: InjectedFaults(latency: latency, errorRate: errorRate))
        try await buildPaymentGatewaySimulator(settings: settings).test(.live, body)
    }

    /// A form POST with the secret key and, if given, an idempotency key.
    func post(_ client: some TestClientProtocol, _ path: String, _ form: [String: String], idempotencyKey: String? = nil, key: String = Self.key)
        async throws -> TestResponse
    {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .authorization: "Bearer \(key)"]
        if let idempotencyKey { headers[HTTPField.Name("Idempotency-Key")!] = idempotencyKey }
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: FormEncoding.encode(form)))
    }

    func json(_ response: TestResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:]
    }

    func error(_ response: TestResponse) throws -> [String: Any] {
        try json(response)["error"] as? [String: Any] ?? [:]
    }

    static let visa = ["amount": "4990", "currency": "eur", "payment_method": "pm_card_visa", "confirm": "true", "metadata[order_id]": "o-1"]

    @Test func aVisaPaymentSucceedsAndCanBeRead() async throws {
        try await withGateway { client in
            let created = try await post(client, "/v1/payment_intents", Self.visa)
            #expect(created.status == .ok)
            let intent = try json(created)
            #expect(intent["status"] as? String == "succeeded")
            #expect(intent["amount_received"] as? Int == 4990)
            #expect((intent["metadata"] as? [String: String])?["order_id"] == "o-1")
            let id = try #require(intent["id"] as? String)
            #expect(id.hasPrefix("pi_"))
            let read = try await client.execute(uri: "/v1/payment_intents/\(id)", method: .get, headers: [.authorization: "Bearer \(Self.key)"])
            #expect(try json(read)["id"] as? String == id)
        }
    }

    @Test(arguments: [("pm_card_chargeDeclined", "generic_decline"), ("pm_card_insufficientFunds", "insufficient_funds")])
    func testMethodsDecline(method: String, declineCode: String) async throws {
        try await withGateway { client in
            var form = Self.visa
            form["payment_method"] = method
            let response = try await post(client, "/v1/payment_intents", form)
            #expect(response.status.code == 402)
            let error = try error(response)
            #expect(error["type"] as? String == "card_error")
            #expect(error["decline_code"] as? String == declineCode)
            #expect((error["payment_intent"] as? [String: Any])?["status"] as? String == "requires_payment_method")
        }
    }

    @Test func idempotencyKeysReplayTheFirstAnswerAndRefuseOtherParameters() async throws {
        try await withGateway { client in
            let first = try await post(client, "/v1/payment_intents", Self.visa, idempotencyKey: "order-1-attempt-1")
            let again = try await post(client, "/v1/payment_intents", Self.visa, idempotencyKey: "order-1-attempt-1")
            #expect(try json(again)["id"] as? String == json(first)["id"] as? String)
            #expect(again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")

            var other = Self.visa
            other["amount"] = "1"
            let mismatch = try await post(client, "/v1/payment_intents", other, idempotencyKey: "order-1-attempt-1")
            #expect(mismatch.status == .badRequest)
            #expect(try error(mismatch)["type"] as? String == "idempotency_error")

            // A decline is an answer too: the same attempt is declined again, not charged.
            var declined = Self.visa
            declined["payment_method"] = "pm_card_chargeDeclined"
            let no = try await post(client, "/v1/payment_intents", declined, idempotencyKey: "order-2-attempt-1")
            let stillNo = try await post(client, "/v1/payment_intents", declined, idempotencyKey: "order-2-attempt-1")
            #expect(no.status.code == 402 && stillNo.status.code == 402)
            #expect(String(buffer: no.body) == String(buffer: stillNo.body))
        }
    }

    @Test func concurrentRequestsWithOneKeyChargeOnce() async throws {
        try await withGateway(latency: .milliseconds(50)) { client in
            let answers = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for _ in 0..<5 {
                    group.addTask {
                        let response = try await post(client, "/v1/payment_intents", Self.visa, idempotencyKey: "same")
                        return (response.status, try json(response)["id"] as? String)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let ids = Set(answers.compactMap { $0.0 == .ok ? $0.1 : nil })
            #expect(ids.count == 1)
            #expect(answers.allSatisfy { $0.0 == .ok || $0.0 == .conflict })
        }
    }

    @Test func refundsNeverExceedThePayment() async throws {
        try await withGateway { client in
            let intent = try #require(try json(try await post(client, "/v1/payment_intents", Self.visa))["id"] as? String)
            let part = try await post(client, "/v1/refunds", ["payment_intent": intent, "amount": "990"])
            #expect(try json(part)["status"] as? String == "succeeded")
            let tooMuch = try await post(client, "/v1/refunds", ["payment_intent": intent, "amount": "4001"])
            #expect(try error(tooMuch)["code"] as? String == "amount_too_large")
            let rest = try await post(client, "/v1/refunds", ["payment_intent": intent])
            #expect(try json(rest)["amount"] as? Int == 4000)
            let read = try await client.execute(uri: "/v1/payment_intents/\(intent)", method: .get, headers: [.authorization: "Bearer \(Self.key)"])
            #expect(try json(read)["amount_refunded"] as? Int == 4990)
        }
    }

    @Test func badInputAndBadKeysAreStripeErrors() async throws {
        try await withGateway { client in
            let noKey = try await post(client, "/v1/payment_intents", Self.visa, key: "sk_test_wrong")
            #expect(noKey.status == .unauthorized)
            for (name, value, param) in [
                ("amount", "-3", "amount"), ("currency", "euro", "currency"), ("payment_method", "pm_unknown", "payment_method"),
                ("confirm", "false", "confirm"),
            ] {
                var form = Self.visa
                form[name] = value
                let response = try await post(client, "/v1/payment_intents", form)
                #expect(response.status == .badRequest, "\(name)=\(value)")
                #expect(try error(response)["param"] as? String == param)
            }
            let missing = try await client.execute(uri: "/v1/payment_intents/pi_nope", method: .get, headers: [.authorization: "Bearer \(Self.key)"])
            #expect(missing.status == .notFound)
        }
    }

    @Test func anInjectedErrorRateIsAStripeAPIError() async throws {
        try await withGateway(errorRate: 1) { client in
            let response = try await post(client, "/v1/payment_intents", Self.visa, idempotencyKey: "flaky")
            #expect(response.status == .internalServerError)
            #expect(try error(response)["type"] as? String == "api_error")
        }
    }
}
