#if NATS
    public import EmporiumCore
    public import Logging
    public import ServiceLifecycle
    import Synchronization

    /// How Emporium uses JetStream.
    public struct NATSBrokerSettings: Sendable, Equatable {
        /// The server, `nats://127.0.0.1:4222`.
        public var url: String
        /// The stream holding every event.
        public var stream: String
        /// How long a delivered message waits for its acknowledgement before JetStream redelivers it.
        public var ackWait: Duration
        /// Deliveries before JetStream stops redelivering; -1 for no limit (the consumer dead-letters
        /// after its own attempt limit, so no message is dropped silently).
        public var maxDeliver: Int64
        /// How long JetStream remembers event ids for de-duplication.
        public var duplicateWindow: Duration

        /// Creates settings.
        public init(
            url: String,
            stream: String = "EMPORIUM",
            ackWait: Duration = .seconds(30),
            maxDeliver: Int64 = -1,
            duplicateWindow: Duration = .seconds(600)
        ) {
            self.url = url
            self.stream = stream
            self.ackWait = ackWait
            self.maxDeliver = maxDeliver
            self.duplicateWindow = duplicateWindow
        }
    }

    /// The distributed mode's broker: NATS JetStream through nats.c.
    ///
    /// One stream (`emporium.>`) holds every event, de-duplicated by `Nats-Msg-Id` = event id.
    /// Consumer groups are durable pull consumers shared by a service's instances, with explicit
    /// acknowledgement, `AckWait`, `MaxDeliver` and delayed redelivery on nak. Every blocking nats.c
    /// call runs on a dedicated dispatch queue.
    public final class NATSBroker: MessageBroker, Service {
        let connection: NATSConnection
        let settings: NATSBrokerSettings
        private let publishQueue = BlockingQueue(label: "emporium.nats.publish")
        private let groups = Mutex<[NATSConsumerGroup]>([])

        /// The subjects of the stream: every versioned event type.
        public static let streamSubjects = ["emporium.>"]

        /// Connects and ensures the stream exists, failing if the server cannot be reached.
        public static func connect(settings: NATSBrokerSettings, logger: Logger) async throws -> NATSBroker {
            let connection = try await BlockingQueue(label: "emporium.nats.connect").run {
                let connection = try NATSConnection.connect(url: settings.url)
                do {
                    try connection.ensureStream(
                        name: settings.stream,
                        subjects: streamSubjects,
                        duplicateWindowNanoseconds: settings.duplicateWindow.nanoseconds,
                        maxAgeNanoseconds: Duration.seconds(7 * 24 * 3600).nanoseconds
                    )
                } catch {
                    connection.close()
                    throw error
                }
                return connection
            }
            logger.info("Connected to NATS JetStream", metadata: ["url": "\(settings.url)", "stream": "\(settings.stream)"])
            return NATSBroker(connection: connection, settings: settings)
        }

        private init(connection: NATSConnection, settings: NATSBrokerSettings) {
            self.connection = connection
            self.settings = settings
        }

        public func publish(_ messages: [BrokerMessage]) async throws {
            guard !messages.isEmpty else { return }
            let batch = messages.map { (id: $0.id, subject: $0.subject, payload: $0.payload) }
            try await publishQueue.run { [connection] in try connection.publish(batch, timeoutMilliseconds: 10_000) }
        }

        public func consumerGroup(_ name: String, subjects: [String]) async throws -> any ConsumerGroup {
            let group = try await BlockingQueue(label: "emporium.nats.subscribe").run { [connection, settings] in
                try NATSConsumerGroup.subscribe(connection: connection, stream: settings.stream, group: name, subjects: subjects, settings: settings)
            }
            groups.withLock { $0.append(group) }
            return group
        }

        /// Runs until graceful shutdown, then unsubscribes and closes the connection. It belongs first
        /// in its group, so that it stops after the consumers and relays that use it.
        public func run() async throws {
            try? await gracefulShutdown()
            await close()
        }

        /// Unsubscribes every group and closes the connection.
        public func close() async {
            for group in groups.withLock({ $0 }) { await group.close() }
            try? await publishQueue.run { [connection] in connection.close() }
        }

        /// The durable consumer of `group` for `subject`: names may not contain dots.
        static func durableName(group: String, subject: String) -> String {
            "\(group)__\(subject)".map { $0 == "." || $0 == "*" || $0 == ">" || $0 == " " ? "_" : $0 }.reduce(into: "") { $0.append($1) }
        }
    }
#endif
