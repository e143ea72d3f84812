/// What the trace list shows of a trace and searches it by: its root, its time, the components
/// it crossed, whether anything failed, and the ids of what its spans concern.
struct TraceSummary: Sendable {
    var traceID: String
    /// The span that started it (the earliest without a parent in the trace).
    var rootName: String
    var rootComponent: String
    /// The request path its root served, when it is a server span.
    var rootPath: String?
    var startNanoseconds: UInt64
    var durationMilliseconds: Double
    var spanCount: Int
    /// The components it crossed, sorted.
    var components: [String]
    /// Whether any span ended in error.
    var failed: Bool
    /// The request ids its server spans answered with.
    var requestIDs: Set<String>
    var orderIDs: Set<String>
    var paymentIDs: Set<String>
    var userIDs: Set<String>

    init(spans: [ReceivedSpan]) {
        let ids = Set(spans.map(\.spanID))
        let root =
            spans.filter { $0.parentSpanID.map { !ids.contains($0) } ?? true }.min { $0.startNanoseconds < $1.startNanoseconds }
            ?? spans[0]
        traceID = root.traceID
        rootName = root.name
        rootComponent = root.component
        rootPath = root.attributes["url.path"]
        startNanoseconds = spans.map(\.startNanoseconds).min() ?? 0
        let end = spans.map(\.endNanoseconds).max() ?? startNanoseconds
        durationMilliseconds = Double(end &- min(end, startNanoseconds)) / 1_000_000
        spanCount = spans.count
        components = Set(spans.map(\.component)).sorted()
        failed = spans.contains { $0.status == .error }
        func values(_ key: String) -> Set<String> { Set(spans.compactMap { $0.attributes[key] }) }
        requestIDs = values("emporium.request.id")
        orderIDs = values("emporium.order.id")
        paymentIDs = values("emporium.payment.id")
        userIDs = values("emporium.user.id").union(values("user.id"))
    }
}
