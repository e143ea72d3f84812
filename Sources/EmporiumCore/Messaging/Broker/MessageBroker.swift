/// A message as the broker stores it: a CloudEvent's JSON, its id and its subject.
public struct BrokerMessage: Sendable, Equatable {
    /// The event id, which is also the broker's de-duplication key.
    public var id: String
    /// The subject consumers filter on: the event's versioned type (`emporium.order.created.v1`).
    public var subject: String
    /// The structured-mode CloudEvent, as JSON bytes.
    public var payload: [UInt8]

    /// Creates a message.
    public init(id: String, subject: String, payload: [UInt8]) {
        self.id = id
        self.subject = subject
        self.payload = payload
    }
}

/// The message broker: a durable, de-duplicating log with consumer groups.
///
/// Two implementations exist: the embedded broker (SQLite, one process) and NATS JetStream
/// (distributed mode). Delivery is at least once; consumers make it effectively once with an inbox.
public protocol MessageBroker: Sendable {
    /// Stores `messages` durably, in order, and returns once the broker has them. A message whose
    /// id the broker already holds is accepted and dropped, so a relay may safely publish twice.
    func publish(_ messages: [BrokerMessage]) async throws

    /// The durable consumer group `name`, created on first use, receiving messages whose subject is
    /// one of `subjects`. Instances that open the same group share its messages.
    func consumerGroup(_ name: String, subjects: [String]) async throws -> any ConsumerGroup
}

/// One consumer group's view of the broker.
public protocol ConsumerGroup: Sendable {
    /// Up to `max` messages due to this group (new, or unacknowledged past their deadline), waiting
    /// up to `wait` for the first. Each stays reserved to this caller until acked, nak'ed or timed out.
    func fetch(max: Int, wait: Duration) async throws -> [Delivery]
    /// The message was handled: it is never delivered to this group again.
    func ack(_ delivery: Delivery) async throws
    /// The messages were handled; one round trip where the broker allows it.
    func ack(_ deliveries: [Delivery]) async throws
    /// The message was not handled: deliver it again after `delay`.
    func nak(_ delivery: Delivery, redeliverAfter delay: Duration) async throws
    /// The group's consumer lag: its messages not acknowledged yet, waiting to be handed out or
    /// handed out and not settled, as the broker counts them now (for every instance of the group).
    func lag() async throws -> Int
}

/// A message handed to a consumer group, with how many times it has been handed out.
public struct Delivery: Sendable {
    /// The message.
    public let message: BrokerMessage
    /// 1 on first delivery, 2 on the first redelivery, and so on.
    public let attempt: Int
    /// What the broker needs to ack or nak this delivery.
    public let receipt: any Sendable

    /// Creates a delivery (brokers only).
    public init(message: BrokerMessage, attempt: Int, receipt: any Sendable) {
        self.message = message
        self.attempt = attempt
        self.receipt = receipt
    }
}
