import AsyncHTTPClient
import Contracts
import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ShippingAPI
import SimulatorSupport
import Testing

/// The shipping-API simulator, over HTTP as the Order Service will call it.
@Suite(.timeLimit(.minutes(2))) struct ShippingAPISimulatorTests {
    static let key = "shipping-key"

    func withShipping(errorRate: Double = 0, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let settings = ShippingAPISettings(
            server: HTTPServerSettings(port: 0), database: .sqliteMemory, apiKey: Self.key, faults: InjectedFaults(errorRate: errorRate))
        try await buildShippingAPISimulator(settings: settings).test(.live, body)
    }

    func post(_ client: some TestClientProtocol, _ path: String, _ json: String, key: String = Self.key) async throws -> TestResponse {
        try await client.execute(
            uri: path,
            method: .post,
            headers: [.contentType: "application/json", .authorization: "Bearer \(key)"],
            body: ByteBuffer(string: json)
        )
    }

    func object(_ response: TestResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:]
    }

    func standardPrice(_ response: TestResponse) throws -> Int? {
        let rates = try object(response)["rates"] as? [[String: Any]] ?? []
        return (rates.first { $0["service"] as? String == "standard" }?["amount"] as? [String: Any])?["amount"] as? Int
    }

    @Test func ratesAreDeterministicByZoneAndWeight() async throws {
        try await withShipping { client in
            let domestic = try await post(client, "/v1/rates", #"{"destination":{"country":"DE","postalCode":"10115"},"parcel":{"weightGrams":800}}"#)
            #expect(domestic.status == .ok)
            #expect(try standardPrice(domestic) == 490)
            let again = try await post(client, "/v1/rates", #"{"destination":{"country":"de","postalCode":"10115"},"parcel":{"weightGrams":800}}"#)
            #expect(try standardPrice(again) == 490)
            let heavierEU = try await post(
                client, "/v1/rates", #"{"destination":{"country":"FR","postalCode":"75001"},"parcel":{"weightGrams":2500}}"#)
            #expect(try standardPrice(heavierEU) == 990 + 2 * 150)
            let world = try await post(client, "/v1/rates", #"{"destination":{"country":"US","postalCode":"10001"},"parcel":{"weightGrams":100}}"#)
            #expect(try standardPrice(world) == 2_490)
        }
    }

    static let shipment = #"""
        {"reference":"order-1","service":"standard","parcel":{"weightGrams":1200},
         "address":{"name":"Ada","line1":"Street 1","city":"Berlin","postalCode":"10115","country":"DE"}}
        """#

    @Test func oneShipmentPerReferenceWithTrackingAndLabel() async throws {
        try await withShipping { client in
            let created = try await post(client, "/v1/shipments", Self.shipment)
            #expect(created.status == .created)
            let first = try object(created)
            let tracking = try #require(first["trackingNumber"] as? String)
            #expect(tracking.hasPrefix("EP") && tracking.count == 16)
            #expect((first["labelUrl"] as? String)?.hasSuffix(".pdf") == true)
            // A retry of the same reference gets the same shipment, not a second one.
            let retried = try await post(client, "/v1/shipments", Self.shipment)
            #expect(retried.status == .ok)
            #expect(try object(retried)["id"] as? String == first["id"] as? String)
            let id = try #require(first["id"] as? String)
            let read = try await client.execute(uri: "/v1/shipments/\(id)", method: .get, headers: [.authorization: "Bearer \(Self.key)"])
            #expect(try object(read)["trackingNumber"] as? String == tracking)
        }
    }

    @Test func aCancelledShipmentStaysCancelled() async throws {
        try await withShipping { client in
            let created = try object(try await post(client, "/v1/shipments", Self.shipment))
            let id = try #require(created["id"] as? String)
            let cancelled = try await post(client, "/v1/shipments/\(id)/cancel", "")
            #expect(cancelled.status == .ok)
            #expect(try object(cancelled)["status"] as? String == "cancelled")
            // Again is harmless, and reading it shows the same.
            #expect(try object(try await post(client, "/v1/shipments/\(id)/cancel", ""))["status"] as? String == "cancelled")
            let read = try await client.execute(uri: "/v1/shipments/\(id)", method: .get, headers: [.authorization: "Bearer \(Self.key)"])
            #expect(try object(read)["status"] as? String == "cancelled")
            // Unknown shipments and strangers are refused.
            #expect(try await post(client, "/v1/shipments/shp_nope/cancel", "").status == .notFound)
            #expect(try await post(client, "/v1/shipments/\(id)/cancel", "", key: "wrong").status == .unauthorized)
        }
    }

    @Test func aShipmentIsFoundByItsReference() async throws {
        try await withShipping { client in
            func find(_ query: String, key: String = Self.key) async throws -> TestResponse {
                try await client.execute(uri: "/v1/shipments?\(query)", method: .get, headers: [.authorization: "Bearer \(key)"])
            }
            let none = try await find("reference=order-1")
            #expect(none.status == .ok)
            #expect((try object(none)["shipments"] as? [Any])?.isEmpty == true)
            let created = try object(try await post(client, "/v1/shipments", Self.shipment))
            let found = try object(try await find("reference=order-1"))["shipments"] as? [[String: Any]]
            #expect(found?.count == 1 && found?.first?["id"] as? String == created["id"] as? String)
            // Another reference finds nothing; no reference names the field; strangers are refused.
            #expect((try object(try await find("reference=order-2"))["shipments"] as? [Any])?.isEmpty == true)
            let unnamed = try await find("")
            #expect(unnamed.status == .badRequest)
            #expect(try object(unnamed)["field"] as? String == "reference")
            #expect(try await find("reference=order-1", key: "wrong").status == .unauthorized)
        }
    }

    /// Creates a shipment under an awkward reference with the real client, and finds it again.
    func findByReference(http: OutboundHTTPClient, port: Int) async throws {
        let location = DependencyLocation.fixed("shipping", url: "http://127.0.0.1:\(port)")
        let client = ShippingAPIClient(dependency: DependencyClient(location: location, http: http), apiKey: Self.key)
        let logger = Logger(label: "test")
        let reference = "order 7/&=ü"
        #expect(try await client.shipment(reference: reference, logger: logger) == nil)
        let request = ShipmentRequest(
            reference: reference, service: "standard",
            address: PostalAddress(name: "Ada", line1: "Street 1", city: "Berlin", postalCode: "10115", country: "DE"),
            parcel: Parcel(weightGrams: 500)
        )
        let created = try await client.createShipment(request, logger: logger)
        #expect(try await client.shipment(reference: reference, logger: logger) == created)
        #expect(try await client.shipment(reference: "order 7", logger: logger) == nil)
    }

    @Test func theClientEscapesAReferenceAndFindsItsShipment() async throws {
        let settings = ShippingAPISettings(server: HTTPServerSettings(port: 0), database: .sqliteMemory, apiKey: Self.key)
        try await buildShippingAPISimulator(settings: settings).test(.live) { server in
            let http = OutboundHTTPClient(timeout: .seconds(5))
            do {
                try await findByReference(http: http, port: try #require(server.port))
            } catch {
                try await http.client.shutdown()
                throw error
            }
            try await http.client.shutdown()
        }
    }

    @Test func badInputNamesTheField() async throws {
        try await withShipping { client in
            let cases = [
                (#"{"destination":{"country":"Germany","postalCode":"1"},"parcel":{"weightGrams":100}}"#, "/v1/rates", "destination.country"),
                (#"{"destination":{"country":"DE","postalCode":"1"},"parcel":{"weightGrams":0}}"#, "/v1/rates", "parcel.weightGrams"),
                (#"{"destination":{"country":"DE","postalCode":"1"},"parcel":{"weightGrams":99999}}"#, "/v1/rates", "parcel.weightGrams"),
                (Self.shipment.replacingOccurrences(of: "standard", with: "overnight"), "/v1/shipments", "service"),
                (Self.shipment.replacingOccurrences(of: #""city":"Berlin""#, with: #""city":" ""#), "/v1/shipments", "address.city"),
            ]
            for (body, path, field) in cases {
                let response = try await post(client, path, body)
                #expect(response.status == .badRequest, "\(field)")
                #expect(try JSONDecoder().decode(ProblemDocument.self, from: Data(response.body.readableBytesView)).field == field)
            }
            #expect(try await post(client, "/v1/rates", #"{}"#, key: "wrong").status == .unauthorized)
        }
    }

    @Test func anInjectedErrorRateIsA503WithRetryAfter() async throws {
        try await withShipping(errorRate: 1) { client in
            let response = try await post(client, "/v1/shipments", Self.shipment)
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "1")
        }
    }
}
