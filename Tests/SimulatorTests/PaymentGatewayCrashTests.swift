import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PaymentGateway
import SQLKit
import Testing

/// The payment-gateway simulator after a crash in the middle of a request: the key's claim is
/// left without an answer. A claim that young is still "in progress" (409); an old one is taken
/// over, and what the first run made is found by the key instead of being made again.
@Suite(.timeLimit(.minutes(2))) struct PaymentGatewayCrashTests {
    let tests = PaymentGatewaySimulatorTests()

    func withGateway(_ body: @escaping @Sendable (any TestClientProtocol, any SQLDatabase) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pgw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let location = DatabaseLocation.sqliteFile(path: directory.appendingPathComponent("pgw.sqlite").path)
        let settings = PaymentGatewaySettings(server: HTTPServerSettings(port: 0), database: location, secretKey: PaymentGatewaySimulatorTests.key)
        try await buildPaymentGatewaySimulator(settings: settings).test(.live) { client in
            // A second handle on the simulator's file stands in for the state a crash leaves.
            let database = try ServiceDatabase(location: location, logger: Logger(label: "test"))
            try await body(client, try database.database().sql)
            await database.close()
        }
    }

    struct Count: Decodable { var count: Int }

    @Test func aChargeWhoseAnswerWasLostIsFoundNotMadeAgain() async throws {
        try await withGateway { client, sql in
            let first = try tests.json(
                try await tests.post(client, "/v1/payment_intents", PaymentGatewaySimulatorTests.visa, idempotencyKey: "k-lost"))
            // The crash: the intent exists, the key has no answer, and its claim is a minute old.
            try await sql.raw("UPDATE idempotency_keys SET status = NULL, body = NULL, created = created - 60 WHERE key = 'k-lost'").run()
            let again = try await tests.post(client, "/v1/payment_intents", PaymentGatewaySimulatorTests.visa, idempotencyKey: "k-lost")
            #expect(again.status == .ok)
            #expect(try tests.json(again)["id"] as? String == first["id"] as? String)
            #expect(try await sql.raw("SELECT COUNT(*) AS count FROM payment_intents").first(decoding: Count.self)?.count == 1)
        }
    }

    @Test func aYoungClaimIsInProgressAndAnOldOneIsTakenOver() async throws {
        try await withGateway { client, sql in
            let fingerprint = "/v1/payment_intents?\(FormEncoding.encode(PaymentGatewaySimulatorTests.visa))"
            let now = Int(Date().timeIntervalSince1970)
            try await sql.raw("INSERT INTO idempotency_keys (key, fingerprint, created) VALUES ('k-young', \(bind: fingerprint), \(bind: now))").run()
            try await sql.raw("INSERT INTO idempotency_keys (key, fingerprint, created) VALUES ('k-old', \(bind: fingerprint), \(bind: now - 60))")
                .run()
            let young = try await tests.post(client, "/v1/payment_intents", PaymentGatewaySimulatorTests.visa, idempotencyKey: "k-young")
            #expect(young.status == .conflict)
            let old = try await tests.post(client, "/v1/payment_intents", PaymentGatewaySimulatorTests.visa, idempotencyKey: "k-old")
            #expect(old.status == .ok)
            #expect(try tests.json(old)["status"] as? String == "succeeded")
        }
    }

    @Test func aRefundWhoseAnswerWasLostIsFoundNotMadeAgain() async throws {
        try await withGateway { client, sql in
            let intent = try #require(
                try tests.json(try await tests.post(client, "/v1/payment_intents", PaymentGatewaySimulatorTests.visa))["id"] as? String)
            let refund = try tests.json(try await tests.post(client, "/v1/refunds", ["payment_intent": intent], idempotencyKey: "r-lost"))
            try await sql.raw("UPDATE idempotency_keys SET status = NULL, body = NULL, created = created - 60 WHERE key = 'r-lost'").run()
            let again = try await tests.post(client, "/v1/refunds", ["payment_intent": intent], idempotencyKey: "r-lost")
            #expect(again.status == .ok)
            #expect(try tests.json(again)["id"] as? String == refund["id"] as? String)
            #expect(try await sql.raw("SELECT COUNT(*) AS count FROM refunds").first(decoding: Count.self)?.count == 1)
        }
    }
}
