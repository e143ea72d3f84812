import ArgumentParser
import Contracts
import EmporiumCore
import Foundation
import Logging
import SQLKit

/// `emporium-drill check`: reads every service's database and checks the invariants of
/// ARCHITECTURE.md that hold once the system is quiet. Prints a report; exits 1 on any violation.
struct ConsistencyCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the platform's invariants across every service's database (once the system is quiet)."
    )

    @Option(help: "The embedded platform's data directory (one SQLite file per service).") var dataDir: String?
    @Option(help: "The cluster's PostgreSQL server, postgres://user@host:port: databases emporium_<service> (scripts/cluster).")
    var postgres: String?
    @Flag(help: "Print nothing when every invariant holds.") var quiet = false

    func validate() throws {
        guard (dataDir == nil) != (postgres == nil) else { throw ValidationError("Give exactly one of --data-dir and --postgres.") }
    }

    func location(_ component: Component) throws -> DatabaseLocation {
        if let dataDir { return .sqliteFile(path: URL(fileURLWithPath: dataDir).appendingPathComponent("\(component.rawValue).sqlite").path) }
        let base = postgres!.split(separator: "/", omittingEmptySubsequences: false).prefix(3).joined(separator: "/")
        return try DatabaseLocation(url: "\(base)/emporium_\(component.rawValue)")
    }

    func run() async throws {
        var logger = Logger(label: "check")
        logger.logLevel = .error
        var databases: [Component: ServiceDatabase] = [:]
        for component in Component.services { databases[component] = try ServiceDatabase(location: try location(component), logger: logger) }
        let handles = try databases.mapValues { try $0.database().sql }
        func sql(_ component: Component) -> any SQLDatabase { handles[component]! }

        struct Order: Decodable {
            var id: UUID
            var status: String
        }
        struct Payment: Decodable {
            var order_id: UUID
            var status: String
        }
        struct Reservation: Decodable {
            var order_id: UUID
            var lines: String
            var released_at: Double?
        }
        struct Product: Decodable {
            var sku: String
            var stock: Int
        }
        let orders = try await sql(.order).raw("SELECT id, status FROM orders").all(decoding: Order.self)
        let payments = try await sql(.payment).raw("SELECT order_id, status FROM payments").all(decoding: Payment.self)
        let reservations = try await sql(.product).raw("SELECT order_id, lines, released_at FROM stock_reservations").all(decoding: Reservation.self)
        let negative = try await sql(.product).raw("SELECT sku, stock FROM products WHERE stock < 0").all(decoding: Product.self)

        var report = InvariantReport()
        report.check("stock never goes negative", violations: negative.map { "\($0.sku) has \($0.stock)" })

        let paymentsByOrder = Dictionary(grouping: payments, by: \.order_id)
        let charged = { (order: UUID) in paymentsByOrder[order, default: []].filter { ["succeeded", "refunded"].contains($0.status) }.count }
        let kept = { (order: UUID) in paymentsByOrder[order, default: []].filter { $0.status == "succeeded" }.count }
        report.check(
            "an order has at most one successful charge",
            violations: orders.filter { charged($0.id) > 1 }.map { "order \($0.id) charged \(charged($0.id)) times" })
        report.check(
            "money taken for a cancelled order is refunded",
            violations: orders.filter { $0.status == "cancelled" && kept($0.id) > 0 }.map { "order \($0.id) is cancelled with a payment kept" }
        )
        report.check(
            "paid and shipped orders have their payment, others none kept",
            violations: orders.compactMap { order in
                let paid = ["paid", "shipped"].contains(order.status)
                return paid == (kept(order.id) == 1) ? nil : "order \(order.id) is \(order.status) with \(kept(order.id)) kept payments"
            }
        )
        let known = Set(orders.map(\.id))
        report.check(
            "every payment is for a known order",
            violations: payments.filter { !known.contains($0.order_id) }.map { "payment for unknown order \($0.order_id)" })

        let holding = Set(reservations.filter { $0.released_at == nil && $0.lines != "[]" }.map(\.order_id))
        report.check(
            "stock is held exactly for live orders",
            violations: orders.compactMap { order in
                let live = ["awaiting_payment", "payment_failed", "paid", "shipped"].contains(order.status)
                return live == holding.contains(order.id)
                    ? nil : "order \(order.id) is \(order.status) and its stock is \(holding.contains(order.id) ? "held" : "not held")"
            }
        )
        report.check("no order is left pending", violations: orders.filter { $0.status == "pending" }.map { "order \($0.id) is pending" })
        report.check(
            "no payment is left processing",
            violations: payments.filter { $0.status == "processing" }.map { "a payment of order \($0.order_id) is processing" })

        for component in Component.services {
            let unpublished = try await sql(component).count("SELECT COUNT(*) AS count FROM outbox_events WHERE published_at IS NULL")
            let dead = try await sql(component).count("SELECT COUNT(*) AS count FROM dead_letters WHERE status = 'dead'")
            report.check(
                "\(component.rawValue): every event published and handled",
                violations: (unpublished > 0 ? ["\(unpublished) events unpublished"] : []) + (dead > 0 ? ["\(dead) dead letters"] : []))
        }
        let unsent = try await sql(.notification).count("SELECT COUNT(*) AS count FROM notifications WHERE status <> 'sent'")
        report.check("every notification is sent", violations: unsent > 0 ? ["\(unsent) notifications not sent"] : [])

        if !quiet || !report.holds {
            print("\(orders.count) orders, \(payments.count) payments, \(reservations.count) reservations")
            print(report.text)
        }
        for database in databases.values { await database.close() }
        databases = [:]
        if !report.holds { throw ExitCode(1) }
    }
}

/// Each invariant and what violates it.
struct InvariantReport {
    private(set) var lines: [String] = []
    private(set) var holds = true

    mutating func check(_ invariant: String, violations: [String]) {
        if violations.isEmpty {
            lines.append("  ok    \(invariant)")
        } else {
            holds = false
            lines.append("  FAIL  \(invariant): \(violations.count)")
            lines += violations.prefix(5).map { "          \($0)" }
        }
    }

    var text: String { lines.joined(separator: "\n") }
}
