import Foundation

/// One span as a component exported it: its identity, what it did, when, how it ended, and which
/// component and instance made it (its resource's `service.name` and `service.instance.id`).
struct ReceivedSpan: Sendable, Equatable {
    /// What the span stands for, as OpenTelemetry's `SpanKind` says.
    enum Kind: String, Sendable {
        case unspecified, `internal`, server, client, producer, consumer

        init(code: UInt64) {
            self = [.unspecified, .internal, .server, .client, .producer, .consumer][Int(min(code, 5))]
        }

        /// Whether the span is one side of an event through the broker.
        var isAsynchronous: Bool { self == .producer || self == .consumer }
    }

    /// How the span ended.
    enum Status: String, Sendable {
        case unset, ok, error

        init(code: UInt64) {
            self = code == 2 ? .error : code == 1 ? .ok : .unset
        }
    }

    /// The trace's id, 32 hex digits.
    var traceID: String
    /// The span's id, 16 hex digits.
    var spanID: String
    /// Its parent's id; nil for a trace's root.
    var parentSpanID: String?
    var name: String
    var kind: Kind
    /// Start and end, nanoseconds since 1970.
    var startNanoseconds: UInt64
    var endNanoseconds: UInt64
    var status: Status
    var statusMessage: String?
    /// Its attributes, each value as text.
    var attributes: [String: String]
    /// The component that made it (`service.name`).
    var component: String
    /// Which instance of it (`service.instance.id`).
    var instance: String?

    /// How long it took, in milliseconds.
    var durationMilliseconds: Double {
        Double(endNanoseconds &- min(startNanoseconds, endNanoseconds)) / 1_000_000
    }
}
