import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PaymentGateway
import SimulatorSupport
import Testing

/// A simulator's faults changed at run time by an operator with its key: broken, it fails every
/// call; healed, it answers again; without the key, or with values out of range, nothing changes.
@Suite(.timeLimit(.minutes(2))) struct FaultRoutesTests {
    static let key = "sk_test_simulator"
    static let operatorKey = "an operator's key, long enough"
    static let broken = #"{"latencyMs": 0, "errorRate": 1, "spikeRate": 0, "spikeMs": 2000}"#
    static let healed = #"{"latencyMs": 0, "errorRate": 0, "spikeRate": 0, "spikeMs": 2000}"#
    static let outOfRange = #"{"latencyMs": 0, "errorRate": 1.5, "spikeRate": 0, "spikeMs": 2000}"#
    static let visa = ["amount": "4990", "currency": "eur", "payment_method": "pm_card_visa", "confirm": "true", "metadata[order_id]": "o-1"]

    func charge(_ client: some TestClientProtocol) async throws -> HTTPResponse.Status {
        try await client.execute(
            uri: "/v1/payment_intents", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .authorization: "Bearer \(Self.key)"],
            body: ByteBuffer(string: FormEncoding.encode(Self.visa))
        ).status
    }

    func setFaults(_ client: some TestClientProtocol, _ json: String, key: String? = Self.operatorKey) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let key { headers[.authorization] = "Bearer \(key)" }
        return try await client.execute(uri: FaultRoutes.path, method: .put, headers: headers, body: ByteBuffer(string: json))
    }

    @Test func anOperatorBreaksThePaymentGatewayAndHealsIt() async throws {
        let settings = PaymentGatewaySettings(
            server: HTTPServerSettings(port: 0), database: .sqliteMemory, secretKey: Self.key, operatorKey: Self.operatorKey)
        try await buildPaymentGatewaySimulator(settings: settings).test(.live) { client in
            #expect(try await charge(client) == .ok)
            let broken = try await setFaults(client, Self.broken)
            #expect(broken.status == .ok)
            #expect(try await charge(client) == .internalServerError, "every call fails while it is broken")
            let read = try await client.execute(uri: FaultRoutes.path, method: .get, headers: [.authorization: "Bearer \(Self.operatorKey)"])
            #expect(try JSONDecoder().decode(FaultSettings.self, from: Data(read.body.readableBytesView)).errorRate == 1)

            #expect(try await setFaults(client, Self.healed, key: "wrong").status == .unauthorized)
            #expect(try await setFaults(client, Self.healed, key: nil).status == .unauthorized)
            let outOfRange = try await setFaults(client, Self.outOfRange)
            #expect(outOfRange.status == .badRequest && String(buffer: outOfRange.body).contains("errorRate"))
            #expect(try await charge(client) == .internalServerError, "nothing refused changed the faults")

            #expect(try await setFaults(client, Self.healed).status == .ok)
            #expect(try await charge(client) == .ok, "healed, it charges again")
        }
    }

    @Test func withoutAnOperatorKeyTheFaultsCannotBeChanged() async throws {
        let settings = PaymentGatewaySettings(server: HTTPServerSettings(port: 0), database: .sqliteMemory, secretKey: Self.key)
        try await buildPaymentGatewaySimulator(settings: settings).test(.live) { (client: any TestClientProtocol) async throws in
            #expect(try await setFaults(client, Self.broken).status == .notFound)
            #expect(try await charge(client) == .ok)
        }
    }
}
