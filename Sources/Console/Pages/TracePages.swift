import EmporiumCore
import Foundation
import Hummingbird
import WebSupport

/// The console's trace pages, for admins: the recent traces, searchable by order, request, user
/// and status (`GET /console/traces`), and one trace as a waterfall (`GET /console/traces/{id}`).
struct TracePages: Sendable {
    let access: ConsoleAccess
    let store: TraceStore
    let renderer: PageRenderer

    /// The most traces one list shows.
    static let listLimit = 50

    /// The list's template values.
    struct ListValues: Sendable {
        var title = "Traces"
        var adminName: String
        var signedIn = true
        var orderID: String
        var requestID: String
        var userID: String
        var statuses: [StatusOption]
        var traces: [ListedTrace]
        var hasTraces: Bool
        var keptSpans: Int
    }

    /// One choice of the status filter.
    struct StatusOption: Sendable {
        var value: String
        var label: String
        var selected: Bool
    }

    /// One trace in the list.
    struct ListedTrace: Sendable {
        var traceID: String
        var rootName: String
        var rootComponent: String
        var startedAt: String
        var duration: String
        var spanCount: Int
        var componentCount: Int
        var components: String
        var failed: Bool
        var orderIDs: String
    }

    /// The waterfall's template values.
    struct TraceValues: Sendable {
        var title: String
        var adminName: String
        var signedIn = true
        var traceID: String
        var rootName: String
        var startedAt: String
        var duration: String
        var spanCount: Int
        var components: String
        var componentCount: Int
        var failed: Bool
        var rows: [TraceWaterfall.Row]
    }

    /// `GET /console/traces?order=…&request=…&user=…&status=any|failed|succeeded`.
    @Sendable func list(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await access.page(request) { session in
            let query = try Self.query(request)
            let traces = store.recent(matching: query, limit: Self.listLimit).map { trace in
                ListedTrace(
                    traceID: trace.traceID, rootName: trace.rootName, rootComponent: trace.rootComponent,
                    startedAt: Self.time(trace.startNanoseconds), duration: TraceWaterfall.milliseconds(trace.durationMilliseconds),
                    spanCount: trace.spanCount, componentCount: trace.components.count, components: trace.components.joined(separator: ", "),
                    failed: trace.failed, orderIDs: trace.orderIDs.sorted().joined(separator: ", "))
            }
            return try renderer.page(
                "traces",
                ListValues(
                    adminName: session.name, orderID: query.orderID, requestID: query.requestID, userID: query.userID,
                    statuses: [("any", "Any"), ("failed", "Failed"), ("succeeded", "Succeeded")].map {
                        StatusOption(value: $0.0, label: $0.1, selected: query.status.rawValue == $0.0)
                    },
                    traces: traces, hasTraces: !traces.isEmpty, keptSpans: store.spanCount))
        }
    }

    /// `GET /console/traces/{id}`.
    @Sendable func trace(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await access.page(request) { session in
            let id = (context.parameters.get("id") ?? "").lowercased()
            guard let spans = store.trace(id: id) else {
                return try renderer.page(
                    "message",
                    MessagePage(
                        title: "No such trace", heading: "The console has no trace \(id)",
                        text: "It keeps the most recent traces only, and only those the components exported to it.", signedIn: true),
                    status: .notFound)
            }
            let waterfall = TraceWaterfall(spans: spans)
            let summary = waterfall.summary
            return try renderer.page(
                "trace",
                TraceValues(
                    title: "Trace \(summary.rootName)", adminName: session.name, traceID: summary.traceID, rootName: summary.rootName,
                    startedAt: Self.time(summary.startNanoseconds), duration: TraceWaterfall.milliseconds(summary.durationMilliseconds),
                    spanCount: summary.spanCount, components: summary.components.joined(separator: ", "),
                    componentCount: summary.components.count, failed: summary.failed, rows: waterfall.rows))
        }
    }

    /// The search form's fields; an unknown status is a problem naming it.
    static func query(_ request: Request) throws -> TraceQuery {
        let parameters = request.uri.queryParameters
        func field(_ name: String) -> String { parameters.get(name).map { String($0).trimmingWhitespace } ?? "" }
        var query = TraceQuery(orderID: field("order"), requestID: field("request"), userID: field("user"))
        let status = field("status")
        if !status.isEmpty {
            guard let chosen = TraceQuery.Status(rawValue: status) else {
                throw Problem(
                    .invalidParameter,
                    detail: "status must be one of \(TraceQuery.Status.allCases.map(\.rawValue).joined(separator: ", ")), got \(status).",
                    field: "status")
            }
            query.status = chosen
        }
        return query
    }

    private static func time(_ nanoseconds: UInt64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(nanoseconds) / 1_000_000_000))
    }
}
