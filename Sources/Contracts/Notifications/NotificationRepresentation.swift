public import Foundation

/// A notification as `GET /api/v1/notifications` shows it.
public struct NotificationRepresentation: Codable, Sendable, Equatable {
    /// The notification's id.
    public var id: UUID
    /// What it is about (`welcome`, `order-received`, `payment-receipt`, `payment-declined`,
    /// `order-shipped`, `order-cancelled`, `payment-refunded`).
    public var kind: String
    /// How it is sent (`email`).
    public var channel: String
    /// Where it is sent.
    public var recipient: String
    /// Its subject line.
    public var subject: String
    /// `pending`, `sending`, `sent` or `failed`.
    public var status: String
    /// The event that caused it.
    public var eventId: String
    /// When it was created.
    public var createdAt: Date
    /// When it was sent.
    public var sentAt: Date?

    /// Creates a representation.
    public init(
        id: UUID, kind: String, channel: String, recipient: String, subject: String, status: String, eventId: String, createdAt: Date, sentAt: Date?
    ) {
        self.id = id
        self.kind = kind
        self.channel = channel
        self.recipient = recipient
        self.subject = subject
        self.status = status
        self.eventId = eventId
        self.createdAt = createdAt
        self.sentAt = sentAt
    }
}
