public import Logging
public import ServiceLifecycle

/// The asynchronous half of a service: its outbox, the relay that publishes it, and its consumers.
///
/// Every service database carries the outbox, inbox and dead-letter tables (``migrations``), so
/// that any service can publish and consume and operators can inspect any of them the same way.
public struct ServiceMessaging: Sendable {
    /// The tables every service database has.
    public static let migrations = Outbox.migrations + DeadLetterStore.migrations

    /// A consumer a service runs: its group name (`<service>.<purpose>`) and what it does.
    public struct Consumer: Sendable {
        /// The consumer group's name.
        public var name: String
        /// What it does with each event.
        public var handler: any EventHandler
        /// Attempts before an event becomes a dead letter, and the backoff between them.
        public var retry: RetryPolicy

        /// Declares a consumer.
        public init(name: String, handler: any EventHandler, retry: RetryPolicy = RetryPolicy()) {
            self.name = name
            self.handler = handler
            self.retry = retry
        }
    }

    /// Where the service writes its events, in its own transactions.
    public let outbox: Outbox
    /// The relay and consumers to run with the service: none without a broker, when events wait
    /// in the outbox until one is configured.
    public let services: [any Service]

    /// Sets up messaging over `database`.
    /// - Parameters:
    ///   - service: The service's name, for metrics.
    ///   - database: The service's database, with ``migrations`` applied.
    ///   - broker: The broker, or nil to keep events in the outbox for now.
    ///   - consumers: The service's consumer groups.
    public init(service: String, database: ServiceDatabase, broker: (any MessageBroker)?, consumers: [Consumer], logger: Logger) {
        let doorbell = Doorbell()
        outbox = Outbox(database: database, doorbell: doorbell)
        guard let broker else {
            services = []
            return
        }
        let relay = OutboxRelay(service: service, database: database, broker: broker, doorbell: doorbell, logger: logger)
        services = [relay] + consumers.map { EventConsumer(name: $0.name, handler: $0.handler, database: database, broker: broker, retry: $0.retry, doorbell: doorbell, logger: logger) }
    }
}
