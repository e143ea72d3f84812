public import Foundation

/// An event a service's consumer gave up on after its retries, as the admin API shows it
/// (`/api/v1/admin/dead-letters/{service}`).
public struct DeadLetterRepresentation: Codable, Sendable, Equatable {
    /// The dead letter's own id.
    public var id: UUID
    /// The service whose consumer failed (`product`).
    public var service: String
    /// The consumer group that failed (`product.stock`).
    public var consumer: String
    /// The event's id.
    public var eventId: String
    /// The event's type (`emporium.order.created.v1`).
    public var eventType: String
    /// What the event is about (`orders/<id>`), when the event says.
    public var subject: String?
    /// `dead`, `replay_requested`, `replayed` or `discarded`.
    public var status: String
    /// How many times handling was attempted.
    public var attempts: Int
    public var firstFailedAt: Date
    public var lastFailedAt: Date
    /// The last error, as text.
    public var lastError: String
    /// The whole event as it was received (a CloudEvent in JSON); only in a single dead letter's answer.
    public var event: String?

    /// Creates a representation.
    public init(
        id: UUID, service: String, consumer: String, eventId: String, eventType: String, subject: String?, status: String, attempts: Int,
        firstFailedAt: Date, lastFailedAt: Date, lastError: String, event: String?
    ) {
        self.id = id
        self.service = service
        self.consumer = consumer
        self.eventId = eventId
        self.eventType = eventType
        self.subject = subject
        self.status = status
        self.attempts = attempts
        self.firstFailedAt = firstFailedAt
        self.lastFailedAt = lastFailedAt
        self.lastError = lastError
        self.event = event
    }

    /// Where a service's dead letters are, at the gateway and at the service itself.
    public static func path(of service: Component) -> String {
        "/api/v1/admin/dead-letters/\(service.rawValue)"
    }
}
