#if NATS
    import CNats
    import EmporiumCore
    import Synchronization

    /// A consumer group on JetStream: one durable pull consumer per subject, shared by every instance
    /// that opens the same group (nats-server 2.9 filters a consumer on one subject only).
    ///
    /// `@unchecked Sendable`: it holds subscription pointers. A single subscription is used only on
    /// the group's serial ``BlockingQueue``; with several, each is pulled only by its own thread of
    /// ``SubjectPullers``. Acks and naks (publishes on the thread-safe connection) run on the queue;
    /// the subscriptions are destroyed once, in ``close()``, after the pullers have stopped.
    final class NATSConsumerGroup: ConsumerGroup, @unchecked Sendable {
        private let subscriptions: [OpaquePointer]
        private let queue: BlockingQueue
        /// Started at the first fetch of a multi-subject group, with that fetch's batch size.
        private let pullers = Mutex<SubjectPullers?>(nil)
        /// The JetStream context (thread-safe in nats.c), the stream and the group's durable
        /// consumers, which ``lag()`` asks about on a queue of its own, never behind a fetch.
        private let jetStream: OpaquePointer
        private let stream: String
        private let durables: [String]
        private let infoQueue: BlockingQueue

        init(subscriptions: [OpaquePointer], queue: BlockingQueue, jetStream: OpaquePointer, stream: String, durables: [String]) {
            self.subscriptions = subscriptions
            self.queue = queue
            self.jetStream = jetStream
            self.stream = stream
            self.durables = durables
            self.infoQueue = BlockingQueue(label: "emporium.nats.info")
        }

        /// Subscribes (blocking) to each subject through its durable consumer, creating it if needed.
        static func subscribe(
            connection: NATSConnection,
            stream: String,
            group: String,
            subjects: [String],
            settings: NATSBrokerSettings
        ) throws -> NATSConsumerGroup {
            var subscriptions: [OpaquePointer] = []
            do {
                for subject in subjects {
                    let durable = NATSBroker.durableName(group: group, subject: subject)
                    var options = jsSubOptions()
                    jsSubOptions_Init(&options)
                    options.Config.AckPolicy = js_AckExplicit
                    options.Config.AckWait = settings.ackWait.nanoseconds
                    options.Config.MaxDeliver = settings.maxDeliver
                    options.Config.MaxAckPending = 20_000
                    options.Config.DeliverPolicy = js_DeliverAll
                    var subscription: OpaquePointer?
                    var errorCode = jsErrCode(rawValue: 0)
                    let status = stream.withCString { streamName in
                        options.Stream = streamName
                        return js_PullSubscribe(&subscription, connection.jetStream, subject, durable, nil, &options, &errorCode)
                    }
                    try check(status, "subscribe \(durable) to \(subject)", jetStreamCode: errorCode)
                    if let subscription { subscriptions.append(subscription) }
                }
            } catch {
                for subscription in subscriptions { natsSubscription_Destroy(subscription) }
                throw error
            }
            return NATSConsumerGroup(
                subscriptions: subscriptions, queue: BlockingQueue(label: "emporium.nats.\(group)"), jetStream: connection.jetStream, stream: stream,
                durables: subjects.map { NATSBroker.durableName(group: group, subject: $0) })
        }

        func fetch(max: Int, wait: Duration) async throws -> [Delivery] {
            guard subscriptions.count > 1 else {
                return try await queue.run { try self.subscriptions.first.map { try Self.fetch($0, batch: max, wait: wait) } ?? [] }
            }
            let pullers = self.pullers.withLock { pullers in
                if let pullers { return pullers }
                let started = SubjectPullers(subscriptions: subscriptions, capacity: max) { try Self.fetch($0, batch: $1, wait: $2) }
                pullers = started
                return started
            }
            return try await pullers.take(max: max, wait: wait)
        }

        /// One pull request for up to `batch` messages.
        ///
        /// With nats-server 2.9 and nats.c 3.4, `NoWait` plus `Expires` returns as soon as any message
        /// is there and otherwise waits up to `Expires` for the first, which is this method's contract;
        /// without `NoWait` a request waits to fill the whole batch. `Expires` is also nats.c's own
        /// deadline for the answer, so it is never below 10 ms.
        static func fetch(_ subscription: OpaquePointer, batch: Int, wait: Duration) throws -> [Delivery] {
            var request = jsFetchRequest()
            jsFetchRequest_Init(&request)
            request.Batch = Int32(batch)
            request.NoWait = true
            request.Expires = Swift.max(wait.nanoseconds, 10_000_000)
            var list = natsMsgList()
            let status = natsSubscription_FetchRequest(&list, subscription, &request)
            defer { natsMsgList_Destroy(&list) }
            if status == NATS_TIMEOUT || status == NATS_NOT_FOUND { return [] }
            try check(status, "fetch messages")
            var deliveries: [Delivery] = []
            for index in 0..<Int(list.Count) {
                guard let msg = list.Msgs[index] else { continue }
                // Taken out of the list, so that destroying the list leaves it to the receipt.
                list.Msgs[index] = nil
                deliveries.append(delivery(of: msg))
            }
            return deliveries
        }

        private static func delivery(of msg: OpaquePointer) -> Delivery {
            let receipt = NATSReceipt(msg: msg)
            let length = Int(natsMsg_GetDataLength(msg))
            var payload = [UInt8](repeating: 0, count: length)
            if length > 0, let data = natsMsg_GetData(msg) {
                payload.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(start: data, count: length)) }
            }
            var id: UnsafePointer<CChar>?
            let messageID = natsMsgHeader_Get(msg, "Nats-Msg-Id", &id) == NATS_OK ? id.map { String(cString: $0) } ?? "" : ""
            var metadata: UnsafeMutablePointer<jsMsgMetaData>?
            var attempt = 1
            if natsMsg_GetMetaData(&metadata, msg) == NATS_OK, let metadata {
                attempt = Int(metadata.pointee.NumDelivered)
                jsMsgMetaData_Destroy(metadata)
            }
            let subject = String(cString: natsMsg_GetSubject(msg))
            return Delivery(message: BrokerMessage(id: messageID, subject: subject, payload: payload), attempt: attempt, receipt: receipt)
        }

        /// Each durable's messages not delivered yet and delivered but not acknowledged, summed.
        func lag() async throws -> Int {
            let (jetStream, stream, durables) = (UInt(bitPattern: self.jetStream), self.stream, self.durables)
            return try await infoQueue.run {
                var total = 0
                for durable in durables {
                    var info: UnsafeMutablePointer<jsConsumerInfo>?
                    var errorCode = jsErrCode(rawValue: 0)
                    let status = js_GetConsumerInfo(&info, OpaquePointer(bitPattern: jetStream), stream, durable, nil, &errorCode)
                    try check(status, "read consumer \(durable)", jetStreamCode: errorCode)
                    if let info {
                        total += Int(info.pointee.NumPending) + Int(info.pointee.NumAckPending)
                        jsConsumerInfo_Destroy(info)
                    }
                }
                return total
            }
        }

        func ack(_ delivery: Delivery) async throws {
            let receipt = try Self.receipt(of: delivery)
            try await queue.run { try check(natsMsg_Ack(receipt.msg, nil), "acknowledge \(delivery.message.id)") }
        }

        func ack(_ deliveries: [Delivery]) async throws {
            let receipts = try deliveries.map(Self.receipt(of:))
            // Each ack is a small publish on the connection; one queue hop covers the batch.
            try await queue.run {
                for (receipt, delivery) in zip(receipts, deliveries) {
                    try check(natsMsg_Ack(receipt.msg, nil), "acknowledge \(delivery.message.id)")
                }
            }
        }

        func nak(_ delivery: Delivery, redeliverAfter delay: Duration) async throws {
            let receipt = try Self.receipt(of: delivery)
            let milliseconds = delay.nanoseconds / 1_000_000
            try await queue.run { try check(natsMsg_NakWithDelay(receipt.msg, milliseconds, nil), "nak \(delivery.message.id)") }
        }

        private static func receipt(of delivery: Delivery) throws -> NATSReceipt {
            guard let receipt = delivery.receipt as? NATSReceipt else {
                throw NATSError(.foreignDelivery, "settle \(delivery.message.id)", reason: "the delivery did not come from NATS")
            }
            return receipt
        }

        /// Unsubscribes (the durable consumers stay on the server for the next instance); deliveries
        /// pulled but never handed out are nak'ed, so that another instance gets them at once.
        func close() async {
            let pullers = self.pullers.withLock { $0 }
            _ = try? await queue.run {
                for delivery in pullers?.stop() ?? [] {
                    if let receipt = delivery.receipt as? NATSReceipt { natsMsg_Nak(receipt.msg, nil) }
                }
                for subscription in self.subscriptions { natsSubscription_Destroy(subscription) }
            }
        }
    }

    /// Owns one fetched `natsMsg` until its delivery is settled and dropped.
    ///
    /// `@unchecked Sendable`: the message is read when fetched and afterwards only acked or nak'ed on
    /// its group's serial queue; it is destroyed once, when the last reference goes.
    final class NATSReceipt: @unchecked Sendable {
        let msg: OpaquePointer

        init(msg: OpaquePointer) {
            self.msg = msg
        }

        deinit {
            natsMsg_Destroy(msg)
        }
    }
#endif
