import Foundation

/// One trace laid out as a waterfall: each span a row under its parent, its bar placed on the
/// trace's time line, with the span's component, instance, duration, status and the attributes
/// that say what it did; the hops through the broker marked.
struct TraceWaterfall: Sendable {
    /// One span's row.
    struct Row: Sendable {
        var spanID: String
        var name: String
        var component: String
        var instance: String
        var kind: String
        /// How deep under the trace's root (0 for the root).
        var depth: Int
        /// Where its bar starts and how wide it is, in percent of the trace's duration.
        var offsetPercent: String
        var widthPercent: String
        var start: String
        var duration: String
        var status: String
        var failed: Bool
        /// What the hop is when it goes through the broker (`publishes OrderCreated`), else nil.
        var asyncHop: String?
        var attributes: [Attribute]
    }

    /// An attribute shown beside a span.
    struct Attribute: Sendable {
        var key: String
        var value: String
    }

    var rows: [Row]
    var summary: TraceSummary

    /// The attributes that say what a span did, in the order they are shown; the rest are not.
    static let shownAttributes = [
        "http.request.method", "http.route", "http.response.status_code", "peer.service", "messaging.operation.type",
        "messaging.destination.name", "messaging.consumer.group.name", "messaging.message.id", "emporium.order.id",
        "emporium.payment.id", "emporium.user.id", "emporium.product.id", "emporium.notification.id", "emporium.request.id",
        "db.system.name", "error.type",
    ]

    init(spans: [ReceivedSpan]) {
        summary = TraceSummary(spans: spans)
        let ids = Set(spans.map(\.spanID))
        var children: [String: [ReceivedSpan]] = [:]
        var roots: [ReceivedSpan] = []
        for span in spans {
            if let parent = span.parentSpanID, ids.contains(parent), parent != span.spanID {
                children[parent, default: []].append(span)
            } else {
                roots.append(span)
            }
        }
        let start = summary.startNanoseconds
        let total = max(summary.durationMilliseconds, 0.001)
        var rows: [Row] = []
        var visited = Set<String>()
        func visit(_ span: ReceivedSpan, depth: Int) {
            guard visited.insert(span.spanID).inserted else { return }
            let offset = Double(span.startNanoseconds &- min(start, span.startNanoseconds)) / 1_000_000
            rows.append(
                Row(
                    spanID: span.spanID, name: span.name, component: span.component, instance: span.instance ?? "",
                    kind: span.kind.rawValue, depth: depth,
                    offsetPercent: Self.percent(offset / total * 100),
                    widthPercent: Self.percent(max(span.durationMilliseconds / total * 100, 0.4)),
                    start: Self.milliseconds(offset), duration: Self.milliseconds(span.durationMilliseconds),
                    status: span.status == .error ? "failed" + (span.statusMessage.map { ": \($0)" } ?? "") : "ok",
                    failed: span.status == .error, asyncHop: Self.hop(span),
                    attributes: Self.shownAttributes.compactMap { key in span.attributes[key].map { Attribute(key: key, value: $0) } }))
            for child in (children[span.spanID] ?? []).sorted(by: { $0.startNanoseconds < $1.startNanoseconds }) {
                visit(child, depth: depth + 1)
            }
        }
        for root in roots.sorted(by: { $0.startNanoseconds < $1.startNanoseconds }) { visit(root, depth: 0) }
        self.rows = rows
    }

    /// How a producer or consumer span crosses the broker.
    static func hop(_ span: ReceivedSpan) -> String? {
        guard span.kind.isAsynchronous else { return nil }
        let event = span.attributes["messaging.destination.name"] ?? "an event"
        if span.kind == .producer {
            // The outbox's `create` in the request's transaction; the relay's `send` to the broker later.
            return span.attributes["messaging.operation.type"] == "create" ? "queues \(event) in the outbox" : "publishes \(event) to the broker"
        }
        let group = span.attributes["messaging.consumer.group.name"].map { " as \($0)" } ?? ""
        return "receives \(event) from the broker\(group)"
    }

    static func milliseconds(_ value: Double) -> String {
        value < 10 ? String(format: "%.2f ms", value) : String(format: "%.0f ms", value)
    }

    private static func percent(_ value: Double) -> String {
        String(format: "%.3f%%", min(max(value, 0), 100))
    }
}
