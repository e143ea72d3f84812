import Synchronization

/// The recent traces the console received, bounded in spans: when a new span would pass the
/// bound, the traces that arrived first are let go whole.
final class TraceStore: Sendable {
    /// The spans of one trace, in arrival order.
    struct Trace: Sendable {
        var spans: [ReceivedSpan]
        /// When its first span arrived, in the store's own count (the eviction order).
        var arrival: Int
    }

    private struct State {
        var traces: [String: Trace] = [:]
        /// Trace ids by first arrival; ids of traces let go stay until their turn comes.
        var arrivals: [String] = []
        var oldest = 0
        var spanCount = 0
        var nextArrival = 0
    }

    /// The most spans kept.
    let maximumSpans: Int
    /// The most spans kept of one trace: a runaway trace cannot push every other one out.
    let maximumSpansPerTrace: Int
    private let state = Mutex(State())

    /// A store keeping at most `maximumSpans` spans.
    init(maximumSpans: Int, maximumSpansPerTrace: Int = 2_000) {
        self.maximumSpans = max(1, maximumSpans)
        self.maximumSpansPerTrace = max(1, min(maximumSpansPerTrace, maximumSpans))
    }

    /// Keeps `spans`, letting the oldest traces go if the bound is passed.
    func add(_ spans: [ReceivedSpan]) {
        state.withLock { state in
            for span in spans {
                if var trace = state.traces.removeValue(forKey: span.traceID) {
                    if trace.spans.count < maximumSpansPerTrace {
                        trace.spans.append(span)
                        state.spanCount += 1
                    }
                    state.traces[span.traceID] = trace
                } else {
                    state.traces[span.traceID] = Trace(spans: [span], arrival: state.nextArrival)
                    state.arrivals.append(span.traceID)
                    state.nextArrival += 1
                    state.spanCount += 1
                }
            }
            while state.spanCount > maximumSpans, state.oldest < state.arrivals.count {
                let id = state.arrivals[state.oldest]
                state.oldest += 1
                if let trace = state.traces.removeValue(forKey: id) { state.spanCount -= trace.spans.count }
            }
            if state.oldest > 1_024, state.oldest * 2 > state.arrivals.count {
                state.arrivals.removeFirst(state.oldest)
                state.oldest = 0
            }
        }
    }

    /// The spans of trace `id`, if it is kept.
    func trace(id: String) -> [ReceivedSpan]? {
        state.withLock { $0.traces[id]?.spans }
    }

    /// The newest traces first, those matching `query`, at most `limit`.
    func recent(matching query: TraceQuery, limit: Int) -> [TraceSummary] {
        let traces = state.withLock { state in
            state.traces.values.sorted { $0.arrival > $1.arrival }
        }
        var found: [TraceSummary] = []
        for trace in traces {
            let summary = TraceSummary(spans: trace.spans)
            if query.matches(summary) {
                found.append(summary)
                if found.count == limit { break }
            }
        }
        return found
    }

    /// How many spans are kept.
    var spanCount: Int { state.withLock { $0.spanCount } }
}
