public import Foundation

/// A CloudEvents 1.0 event in structured JSON mode, carrying a typed payload in `data`.
///
/// `traceparent` is the distributed-tracing extension, so that a consumer continues the trace of
/// the request that caused the event.
public struct CloudEvent<Payload: DomainEvent>: Codable, Sendable, Equatable {
    /// Always "1.0".
    public var specversion: String
    /// Unique per event; consumers de-duplicate by it.
    public var id: String
    /// The producing component, as a URI reference (`/emporium/order`).
    public var source: String
    /// The versioned event type (`emporium.order.created.v1`).
    public var type: String
    /// The resource the event is about (`orders/0F7…`).
    public var subject: String
    /// When the state change happened.
    public var time: Date
    /// Always "application/json".
    public var datacontenttype: String
    /// W3C `traceparent` of the request that caused the event.
    public var traceparent: String?
    /// The payload.
    public var data: Payload

    /// Wraps `payload` in a new envelope.
    /// - Parameters:
    ///   - payload: The event.
    ///   - id: The event id (a new ``EventID``, ordered by `time`, unless given).
    ///   - time: When it happened.
    ///   - traceparent: The trace to continue.
    public init(_ payload: Payload, id: String? = nil, time: Date = Date(), traceparent: String? = nil) {
        self.specversion = "1.0"
        self.id = id ?? EventID.make(at: time)
        self.source = Payload.source
        self.type = Payload.eventType
        self.subject = payload.subject
        self.time = time
        self.datacontenttype = "application/json"
        self.traceparent = traceparent
        self.data = payload
    }
}

/// The envelope attributes of any CloudEvent, read without knowing its payload type.
public struct CloudEventHeader: Codable, Sendable, Equatable {
    /// The CloudEvents version.
    public var specversion: String
    /// The event id.
    public var id: String
    /// The producing component.
    public var source: String
    /// The versioned event type.
    public var type: String
    /// The resource the event is about.
    public var subject: String?
    /// When it happened.
    public var time: Date?
    /// W3C `traceparent`.
    public var traceparent: String?
}

/// A versioned event payload: its type, its producer, and the resource it is about.
public protocol DomainEvent: Codable, Sendable, Equatable {
    /// The CloudEvents `type`, ending in its version (`emporium.order.created.v1`). A change to the
    /// payload's shape that a consumer could notice gets a new version, not an edit.
    static var eventType: String { get }
    /// The CloudEvents `source` of every event of this type.
    static var source: String { get }
    /// The CloudEvents `subject`: the resource this event is about.
    var subject: String { get }
}

/// The one JSON encoding of events, so that a payload's bytes never depend on who encoded it.
public enum EventCoding {
    /// An encoder with sorted keys and ISO 8601 dates (with fractional seconds dropped).
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// The matching decoder.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
