public import Contracts
public import FluentKit
import Foundation

/// Applies one consumer's events to its service's state.
public protocol EventHandler: Sendable {
    /// The event types handled; the consumer group receives exactly these.
    var eventTypes: [String] { get }

    /// Applies `event` through `database`, a transaction that also records the event in the inbox:
    /// the effects and the record commit together. Throwing rolls both back and the event is retried.
    /// Events the handler publishes in answer go through `events`, in the same transaction.
    func handle(_ event: ReceivedEvent, on database: any Database, events: OutboxWriter) async throws
}

/// An event as a consumer receives it: the envelope, and the payload to decode by type.
public struct ReceivedEvent: Sendable {
    /// The CloudEvents attributes.
    public let header: CloudEventHeader
    /// The whole structured-mode JSON.
    public let json: [UInt8]

    /// Decodes the event as `type`, which must match ``header``'s `type`.
    public func decode<Event: DomainEvent>(_ type: Event.Type) throws -> CloudEvent<Event> {
        guard header.type == Event.eventType else {
            throw UnexpectedEventType(expected: Event.eventType, actual: header.type)
        }
        return try EventCoding.decoder().decode(CloudEvent<Event>.self, from: Data(json))
    }
}

/// A handler was given an event of a type it did not ask for.
public struct UnexpectedEventType: Error, CustomStringConvertible {
    /// The type the handler decodes.
    public let expected: String
    /// The type received.
    public let actual: String

    /// A sentence for logs and dead letters.
    public var description: String { "expected an event of type \(expected), got \(actual)" }
}
