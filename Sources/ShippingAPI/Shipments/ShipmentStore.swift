import Contracts
import EmporiumCore
import FluentKit
import Foundation
import SQLKit

/// The shipments created, one per caller reference.
struct ShipmentStore: Sendable {
    let database: ServiceDatabase
    private var sql: any SQLDatabase { get throws { try database.database().sql } }

    /// Creates the shipment for `request`, or returns the one its reference already has (so that
    /// a caller retrying after a lost answer never ships twice). The flag says whether it is new.
    func create(_ request: ShipmentRequest, rate: Rate) async throws -> (Shipment, created: Bool) {
        let id = "shp_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        var digits = SystemRandomNumberGenerator()
        let tracking = "EP" + (0..<12).map { _ in String(Int.random(in: 0...9, using: &digits)) }.joined() + "DE"
        let shipment = Shipment(
            id: id,
            reference: request.reference,
            carrier: rate.carrier,
            service: rate.service,
            trackingNumber: tracking,
            labelUrl: "https://labels.shipping.example/\(id).pdf",
            status: "created",
            cost: rate.amount
        )
        let json = String(decoding: try JSONEncoder().encode(shipment), as: UTF8.self)
        let inserted = try await sql.raw(
            "INSERT INTO shipments (id, reference, body) VALUES (\(bind: id), \(bind: request.reference), \(bind: json)) ON CONFLICT (reference) DO NOTHING RETURNING id"
        ).first()
        if inserted != nil { return (shipment, true) }
        guard let existing = try await find(reference: request.reference) else { throw ShipmentStoreError.vanished }
        return (existing, false)
    }

    /// Cancels (voids) the shipment `id`, and returns it; cancelling it again changes nothing.
    /// Nil when there is no such shipment.
    func cancel(id: String) async throws -> Shipment? {
        guard var shipment = try await find(id: id) else { return nil }
        guard shipment.status != Shipment.cancelled else { return shipment }
        shipment.status = Shipment.cancelled
        let json = String(decoding: try JSONEncoder().encode(shipment), as: UTF8.self)
        try await sql.raw("UPDATE shipments SET body = \(bind: json) WHERE id = \(bind: id)").run()
        return shipment
    }

    func find(id: String) async throws -> Shipment? {
        try await decode(sql.raw("SELECT body FROM shipments WHERE id = \(bind: id)").first(decodingColumn: "body", as: String.self))
    }

    func find(reference: String) async throws -> Shipment? {
        try await decode(sql.raw("SELECT body FROM shipments WHERE reference = \(bind: reference)").first(decodingColumn: "body", as: String.self))
    }

    private func decode(_ body: String?) throws -> Shipment? {
        try body.map { try JSONDecoder().decode(Shipment.self, from: Data($0.utf8)) }
    }
}

enum ShipmentStoreError: Error {
    case vanished
}

/// The shipments table.
struct CreateShipments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("shipments")
            .field("id", .string, .identifier(auto: false))
            .field("reference", .string, .required)
            .field("body", .string, .required)
            .unique(on: "reference")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("shipments").delete()
    }
}
