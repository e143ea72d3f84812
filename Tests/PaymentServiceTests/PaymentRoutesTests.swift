import Contracts
import EmporiumCore
import EmporiumTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import PaymentService

/// The Payment Service's routes and who may call them, without the gateway in front. Its
/// dependencies are unreachable: every answer here is decided before they would be asked.
@Suite(.timeLimit(.minutes(2))) struct PaymentRoutesTests {
    /// A Payment Service trusting a test issuer, with one payment of `owner` already stored.
    func withPaymentService(
        _ body: @escaping @Sendable (any TestClientProtocol, TestIssuer, _ stored: UUID) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("payment-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let location = DatabaseLocation.sqliteFile(path: directory.appendingPathComponent("payment.sqlite").path)
        let stored = UUID()
        let database = try await ServiceDatabase.open(
            location, migrations: ServiceMessaging.migrations + [CreatePayments()], logger: Logger(label: "test"))
        let now = Date().timeIntervalSince1970
        try await PaymentStore(database.database()).insert(
            PaymentRow(
                id: stored, order_id: UUID(), customer_id: "owner", amount: 1_000, currency: "EUR", payment_method: "pm_card_visa",
                attempt: 1, status: .succeeded, created_at: now, updated_at: now
            )
        )
        await database.close()
        let issuer = TestIssuer()
        try await issuer.run {
            let settings = PaymentSettings(
                service: ServiceSettings(server: HTTPServerSettings(port: 0), database: location, auth: issuer.authSettings),
                order: .fixed("order", url: "http://127.0.0.1:1"),
                paymentGateway: .fixed("payment-gateway", url: "http://127.0.0.1:1"),
                paymentGatewaySecretKey: "sk_test_x",
                credentials: ClientCredentials(clientID: paymentServiceClientID, secret: "s")
            )
            try await buildPaymentService(settings: settings).test(.live) { client in try await body(client, issuer, stored) }
        }
    }

    func get(_ client: some TestClientProtocol, _ uri: String, token: String?) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: .get, headers: headers)
    }

    func problem(_ response: TestResponse) throws -> ProblemDocument {
        try JSONDecoder().decode(ProblemDocument.self, from: Data(response.body.readableBytesView))
    }

    @Test func theOwnerSeesTheirPaymentAndNoOneElseDoes() async throws {
        try await withPaymentService { client, issuer, stored in
            let owner = try await issuer.token(subject: "owner")
            let stranger = try await issuer.token(subject: "stranger")
            #expect(try await get(client, "/api/v1/payments/\(stored)", token: owner).status == .ok)
            #expect(try await get(client, "/api/v1/payments/\(stored)", token: stranger).status == .notFound)
            let page = try JSONDecoder().decode(
                Contracts.Page<PaymentRepresentation>.self,
                from: Data(try await get(client, "/api/v1/payments", token: stranger).body.readableBytesView)
            )
            #expect(page.total == 0)
        }
    }

    @Test func withoutAValidTokenEveryRouteIs401() async throws {
        try await withPaymentService { client, _, stored in
            for uri in ["/api/v1/payments", "/api/v1/payments/\(stored)"] {
                let response = try await get(client, uri, token: nil)
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
            #expect(try await get(client, "/api/v1/payments", token: "not-a-token").status == .unauthorized)
            let post = try await client.execute(
                uri: "/api/v1/payments", method: .post, headers: [.contentType: "application/json", .idempotencyKey: "k1"],
                body: ByteBuffer(string: "{}"))
            #expect(post.status == .unauthorized)
        }
    }

    @Test func aPaymentNeedsAnIdempotencyKeyAndAValidMethodBeforeAnythingIsAsked() async throws {
        try await withPaymentService { client, issuer, _ in
            let token = try await issuer.token(subject: "owner")
            let body = #"{"orderId":"\#(UUID())","paymentMethod":"pm card"}"#
            let withoutKey = try await client.execute(
                uri: "/api/v1/payments", method: .post, headers: [.contentType: "application/json", .authorization: "Bearer \(token)"],
                body: ByteBuffer(string: body)
            )
            #expect(withoutKey.status == .badRequest)
            #expect(try problem(withoutKey).field == "Idempotency-Key")
            let badMethod = try await client.execute(
                uri: "/api/v1/payments", method: .post,
                headers: [.contentType: "application/json", .authorization: "Bearer \(token)", .idempotencyKey: "k2"], body: ByteBuffer(string: body)
            )
            #expect(badMethod.status == .badRequest)
            #expect(try problem(badMethod).field == "paymentMethod")
        }
    }

    @Test func aMethodAPathDoesNotServeIs405WithAllow() async throws {
        try await withPaymentService { client, issuer, stored in
            let token = try await issuer.token(subject: "owner")
            let response = try await client.execute(uri: "/api/v1/payments/\(stored)", method: .delete, headers: [.authorization: "Bearer \(token)"])
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == "GET, HEAD")
            #expect(try await get(client, "/api/v1/payments/not-a-uuid", token: token).status == .badRequest)
        }
    }
}
