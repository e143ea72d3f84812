public import Contracts
public import Logging

/// The shipping API as the Order Service uses it: quote a rate, create a shipment, find one by
/// reference, cancel one.
public protocol ShippingCarrier: Sendable {
    /// The rates to send `parcel` to `address`, cheapest first.
    /// - Throws: ``ShippingRefusal`` when the API refuses the address or parcel;
    ///   `DependencyFailure` or `CircuitOpen` when it cannot answer.
    func rates(to address: PostalAddress, parcel: Parcel, logger: Logger) async throws -> [Rate]

    /// Creates the shipment of `request`, or returns the one already created for its reference.
    func createShipment(_ request: ShipmentRequest, logger: Logger) async throws -> Shipment

    /// The shipment created for `reference`, if there is one (cancelled ones included).
    func shipment(reference: String, logger: Logger) async throws -> Shipment?

    /// Cancels (voids) the shipment `id`; cancelling it again is harmless.
    func cancelShipment(id: String, logger: Logger) async throws -> Shipment
}

/// The shipping API refused a request: the input was wrong, and repeating it will not help.
public struct ShippingRefusal: Error, Sendable, CustomStringConvertible {
    /// The HTTP status.
    public let status: Int
    /// The API's explanation.
    public let detail: String
    /// The input it named, if any.
    public let field: String?

    /// A sentence for logs.
    public var description: String { "the shipping API refused the request (\(status)): \(detail)" }
}
