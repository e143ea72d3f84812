import Contracts
import EmporiumCore
import HTTPTypes
public import Hummingbird
import Logging
import SimulatorSupport

/// The shipping API: `POST /v1/rates`, `POST /v1/shipments`, `GET /v1/shipments?reference=…`
/// (the caller's shipment for a reference, as a list of none or one), `GET /v1/shipments/{id}`,
/// `POST /v1/shipments/{id}/cancel` (voids the label; again is harmless), JSON in and out,
/// `Authorization: Bearer <api key>`, errors as problem documents.
struct ShippingRoutes: Sendable {
    let settings: ShippingAPISettings
    /// The faults now (``FaultRoutes`` changes them at run time).
    let faults: FaultSwitch
    let store: ShipmentStore

    func register(on router: Router<EmporiumRequestContext>) {
        router.resource("/v1/rates") { routes in
            routes.post { request, context in
                try await guarded(request, context) {
                    let rateRequest = try await request.decodeJSON(as: RateRequest.self, context: context)
                    let country = try Self.country(rateRequest.destination.country, field: "destination.country")
                    try Self.weight(rateRequest.parcel.weightGrams)
                    return RateList(rates: RateTable.rates(country: country, weightGrams: rateRequest.parcel.weightGrams))
                }
            }
        }
        router.resource("/v1/shipments") { routes in
            routes.get { request, context in
                try await guarded(request, context) {
                    guard let reference = request.uri.queryParameters.get("reference"), !reference.isEmpty else {
                        throw Problem(.invalidParameter, detail: "Name the shipment to find with ?reference=….", field: "reference")
                    }
                    return ShipmentList(shipments: try await store.find(reference: reference).map { [$0] } ?? [])
                }
            }
            routes.post { request, context in
                try await guarded(request, context) {
                    let shipment = try await request.decodeJSON(as: ShipmentRequest.self, context: context)
                    guard !shipment.reference.isEmpty, shipment.reference.count <= 100 else {
                        throw Problem(.invalidField, detail: "reference must be 1 to 100 characters.", field: "reference")
                    }
                    let country = try Self.country(shipment.address.country, field: "address.country")
                    try Self.weight(shipment.parcel.weightGrams)
                    for (value, field) in [
                        (shipment.address.name, "name"), (shipment.address.line1, "line1"), (shipment.address.city, "city"),
                        (shipment.address.postalCode, "postalCode"),
                    ]
                    where value.allSatisfy(\.isWhitespace) {
                        throw Problem(.invalidField, detail: "address.\(field) must not be empty.", field: "address.\(field)")
                    }
                    guard
                        let rate = RateTable.rates(country: country, weightGrams: shipment.parcel.weightGrams).first(where: {
                            $0.service == shipment.service
                        })
                    else {
                        throw Problem(.invalidField, detail: "service must be standard or express, got \"\(shipment.service)\".", field: "service")
                    }
                    if settings.labelLatency > .zero { try await Task.sleep(for: settings.labelLatency) }
                    let (created, isNew) = try await store.create(shipment, rate: rate)
                    context.logger.info(
                        "Shipment created", metadata: ["shipment": "\(created.id)", "reference": "\(created.reference)", "new": "\(isNew)"])
                    return EditedResponse(status: isNew ? .created : .ok, response: created)
                }
            }
        }
        router.resource("/v1/shipments/{id}") { routes in
            routes.get { request, context in
                try await guarded(request, context) {
                    let id = try context.parameters.require("id")
                    guard let shipment = try await store.find(id: id) else { throw Problem(.notFound, detail: "There is no shipment \(id).") }
                    return shipment
                }
            }
        }
        router.resource("/v1/shipments/{id}/cancel") { routes in
            routes.post { request, context in
                try await guarded(request, context) {
                    let id = try context.parameters.require("id")
                    guard let shipment = try await store.cancel(id: id) else { throw Problem(.notFound, detail: "There is no shipment \(id).") }
                    context.logger.info("Shipment cancelled", metadata: ["shipment": "\(id)", "reference": "\(shipment.reference)"])
                    return shipment
                }
            }
        }
    }

    /// Checks the key and injects the configured latency and failures before `operation`.
    private func guarded<Result: ResponseGenerator>(
        _ request: Request,
        _ context: EmporiumRequestContext,
        _ operation: () async throws -> Result
    ) async throws -> Response {
        guard request.headers[.authorization] == "Bearer \(settings.apiKey)" else {
            throw Problem(
                .unauthorized, detail: "Send the API key as Authorization: Bearer <key>.", headers: [.wwwAuthenticate: #"Bearer realm="shipping""#])
        }
        if try await faults.current.delayThenDrawFailure() {
            throw Problem(.serviceUnavailable, detail: "The carrier's systems are unavailable (simulated).", headers: [.retryAfter: "1"])
        }
        return try await operation().response(from: request, context: context)
    }

    private static func country(_ code: String, field: String) throws -> String {
        let upper = code.uppercased()
        guard upper.count == 2, upper.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
            throw Problem(.invalidField, detail: "The country must be an ISO 3166-1 alpha-2 code such as DE, got \"\(code)\".", field: field)
        }
        return upper
    }

    private static func weight(_ grams: Int) throws {
        guard (1...RateTable.maxWeightGrams).contains(grams) else {
            throw Problem(
                .invalidField, detail: "The parcel must weigh 1 to \(RateTable.maxWeightGrams) g, got \(grams).", field: "parcel.weightGrams")
        }
    }
}

/// `POST /v1/rates`'s answer.
struct RateList: ResponseEncodable {
    var rates: [Rate]
}

/// `GET /v1/shipments?reference=…`'s answer.
struct ShipmentList: ResponseEncodable {
    var shipments: [Shipment]
}

extension Shipment: ResponseEncodable {}
