import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SimulatorSupport

/// The Stripe-style API: `POST /v1/payment_intents` (create and confirm), `GET
/// /v1/payment_intents/{id}`, `POST /v1/refunds`. Form-encoded requests, JSON answers, Stripe's
/// error bodies, `Authorization: Bearer <secret key>`, and `Idempotency-Key` on every POST.
struct PaymentRoutes: Sendable {
    let settings: PaymentGatewaySettings
    /// The faults now (``FaultRoutes`` changes them at run time).
    let faults: FaultSwitch
    let ledger: PaymentLedger
    let keys: IdempotencyKeys

    func register(on router: Router<EmporiumRequestContext>) {
        router.resource("/v1/payment_intents") { routes in
            routes.post { request, context in try await answer(request, context) { try await createIntent($0, key: $1, $2) } }
        }
        router.resource("/v1/payment_intents/{id}") { routes in
            routes.get { request, context in
                try await answer(request, context) { _, _, _ in
                    let id = try context.parameters.require("id")
                    guard let intent = try await ledger.intent(id) else {
                        throw StripeError(
                            status: 404, type: "invalid_request_error", code: "resource_missing", message: "No such payment_intent: '\(id)'",
                            param: "id")
                    }
                    return (200, try Self.json(intent))
                }
            }
        }
        router.resource("/v1/refunds") { routes in
            routes.post { request, context in try await answer(request, context) { try await createRefund($0, key: $1, $2) } }
        }
    }

    // MARK: Operations

    private func createIntent(_ form: [String: String], key: String?, _ context: EmporiumRequestContext) async throws -> (Int, String) {
        guard let amountText = form["amount"] else {
            throw StripeError.invalid("Missing required param: amount.", param: "amount", code: "parameter_missing")
        }
        guard let amount = Int(amountText), (1...99_999_999).contains(amount) else {
            throw StripeError.invalid("Invalid integer: \(amountText)", param: "amount")
        }
        guard let currency = form["currency"]?.lowercased(), currency.count == 3, currency.allSatisfy(\.isLetter) else {
            throw StripeError.invalid(
                "Invalid currency.", param: "currency", code: form["currency"] == nil ? "parameter_missing" : "parameter_invalid")
        }
        guard let method = form["payment_method"] else {
            throw StripeError.invalid("Missing required param: payment_method.", param: "payment_method", code: "parameter_missing")
        }
        guard form["confirm"] == "true" else {
            throw StripeError.invalid("This simulator only creates and confirms in one call: send confirm=true.", param: "confirm")
        }
        var metadata: [String: String] = [:]
        for (name, value) in form where name.hasPrefix("metadata[") && name.hasSuffix("]") {
            metadata[String(name.dropFirst(9).dropLast())] = value
        }
        let intent = try await ledger.createAndConfirm(
            amount: amount, currency: currency, paymentMethod: method, metadata: metadata, idempotencyKey: key)
        context.logger.info("Payment intent confirmed", metadata: ["intent": "\(intent.id)", "status": "\(intent.status)"])
        if let failure = intent.last_payment_error {
            var error = StripeError(status: 402, type: "card_error", code: failure.code, message: failure.message)
            error.error.decline_code = failure.decline_code
            error.error.payment_intent = intent
            return (402, try Self.json(error))
        }
        return (200, try Self.json(intent))
    }

    private func createRefund(_ form: [String: String], key: String?, _ context: EmporiumRequestContext) async throws -> (Int, String) {
        guard let intent = form["payment_intent"] else {
            throw StripeError.invalid("Missing required param: payment_intent.", param: "payment_intent", code: "parameter_missing")
        }
        var amount: Int?
        if let text = form["amount"] {
            guard let value = Int(text), value > 0 else { throw StripeError.invalid("Invalid integer: \(text)", param: "amount") }
            amount = value
        }
        return (200, try Self.json(try await ledger.refund(intentID: intent, amount: amount, idempotencyKey: key)))
    }

    // MARK: Protocol

    /// Checks the key, adds the configured latency and failures, applies `Idempotency-Key` to POSTs,
    /// and renders the outcome, an error included, the way Stripe does.
    private func answer(
        _ request: Request,
        _ context: EmporiumRequestContext,
        _ operation: (_ form: [String: String], _ idempotencyKey: String?, EmporiumRequestContext) async throws -> (Int, String)
    ) async throws -> Response {
        do {
            try authenticate(request)
            if try await faults.current.delayThenDrawFailure() {
                throw StripeError(
                    status: 500, type: "api_error", message: "An error occurred with our connection to the payment network (simulated).")
            }
            guard request.method == .post else { return Self.response(try await operation([:], nil, context)) }
            let form = try await Self.form(request)
            guard let key = request.headers[HTTPField.Name("Idempotency-Key")!] else { return Self.response(try await operation(form, nil, context)) }
            let fingerprint = "\(request.uri.path)?\(FormEncoding.encode(form))"
            switch try await keys.claim(key, fingerprint: fingerprint) {
            case .replay(let status, let body):
                var response = Self.response((status, body))
                response.headers[HTTPField.Name("Idempotent-Replayed")!] = "true"
                return response
            case .claimed:
                let outcome: (Int, String)
                do {
                    outcome = try await operation(form, key, context)
                } catch let error as StripeError {
                    // A refusal of the input is an answer too: the same request gets it again.
                    outcome = (error.status, try Self.json(error))
                } catch {
                    try? await keys.release(key)
                    throw error
                }
                try await keys.finish(key, status: outcome.0, body: outcome.1)
                return Self.response(outcome)
            }
        } catch let error as StripeError {
            return Self.response((error.status, try Self.json(error)))
        }
    }

    private func authenticate(_ request: Request) throws {
        let header = request.headers[.authorization] ?? ""
        var presented: String?
        if header.hasPrefix("Bearer ") {
            presented = String(header.dropFirst(7))
        } else if header.hasPrefix("Basic "), let decoded = Base64URL.decodeStandard(header.dropFirst(6)) {
            // Stripe also takes the key as the Basic user name, with no password.
            presented = String(decoding: decoded, as: UTF8.self).split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(
                String.init)
        }
        guard presented == settings.secretKey else {
            throw StripeError(status: 401, type: "invalid_request_error", message: "Invalid API Key provided.")
        }
    }

    private static func form(_ request: Request) async throws -> [String: String] {
        let body = try await request.body.collect(upTo: 64 * 1024)
        var form: [String: String] = [:]
        for (name, values) in FormEncoding.decode(String(buffer: body)) { form[name] = values.last }
        return form
    }

    private static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func response(_ outcome: (Int, String)) -> Response {
        Response(
            status: HTTPResponse.Status(code: outcome.0),
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: outcome.1))
        )
    }
}
