public import Contracts
public import EmporiumCore
public import Logging
import NIOHTTP1

/// The real client of the shipping API (HTTPS JSON, `Authorization: Bearer <api key>`), which
/// the simulator in this library serves too.
///
/// Every call is safe to repeat — a rate is a read, a shipment is unique per reference, and a
/// cancelled shipment stays cancelled — so each is retried with backoff after a failure.
public struct ShippingAPIClient: ShippingCarrier {
    let dependency: DependencyClient
    let apiKey: String

    /// Creates a client.
    /// - Parameters:
    ///   - dependency: The shipping API's location, breaker and deadline.
    ///   - apiKey: The key the API was given.
    public init(dependency: DependencyClient, apiKey: String) {
        self.dependency = dependency
        self.apiKey = apiKey
    }

    public func rates(to address: PostalAddress, parcel: Parcel, logger: Logger) async throws -> [Rate] {
        struct RateList: Decodable { var rates: [Rate] }
        let request = RateRequest(destination: .init(country: address.country, postalCode: address.postalCode), parcel: parcel)
        let response = try await dependency.send(.POST, "/v1/rates", headers: authorization, json: request, idempotent: true, logger: logger)
        try refuseUnlessSuccessful(response)
        return try response.decode(RateList.self, from: dependency.location.name).rates
    }

    public func createShipment(_ request: ShipmentRequest, logger: Logger) async throws -> Shipment {
        let response = try await dependency.send(.POST, "/v1/shipments", headers: authorization, json: request, idempotent: true, logger: logger)
        try refuseUnlessSuccessful(response)
        return try response.decode(Shipment.self, from: dependency.location.name)
    }

    public func shipment(reference: String, logger: Logger) async throws -> Shipment? {
        struct ShipmentList: Decodable { var shipments: [Shipment] }
        let response = try await dependency.send(
            .GET, "/v1/shipments?reference=\(Self.percentEncoded(reference))", headers: authorization, idempotent: true, logger: logger)
        try refuseUnlessSuccessful(response)
        return try response.decode(ShipmentList.self, from: dependency.location.name).shipments.first
    }

    public func cancelShipment(id: String, logger: Logger) async throws -> Shipment {
        // Ids are the API's own (`shp_` and hex), so they need no escaping in the path.
        let response = try await dependency.send(.POST, "/v1/shipments/\(id)/cancel", headers: authorization, idempotent: true, logger: logger)
        try refuseUnlessSuccessful(response)
        return try response.decode(Shipment.self, from: dependency.location.name)
    }

    /// `text` for a URL query: every byte but RFC 3986's unreserved characters as `%XX`.
    static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var encoded: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.append(byte)
            default:
                encoded += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]]
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    private var authorization: [(String, String)] { [("Authorization", "Bearer \(apiKey)")] }

    private func refuseUnlessSuccessful(_ response: DependencyResponse) throws {
        guard !response.isSuccess else { return }
        if response.status == 401 {
            throw DependencyFailure(dependency: dependency.location.name, reason: "refused this service's API key")
        }
        let problem = try? response.decode(ProblemDocument.self, from: dependency.location.name)
        throw ShippingRefusal(status: response.status, detail: problem?.detail ?? "answered \(response.status)", field: problem?.field)
    }
}
