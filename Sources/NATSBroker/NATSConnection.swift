#if NATS
    import CNats
    import Synchronization

    /// One connection to a NATS server and its JetStream context, with every call nats.c needs to
    /// publish and to manage the stream.
    ///
    /// `@unchecked Sendable`: it holds C pointers. nats.c documents connections and JetStream contexts
    /// as safe to use from several threads at once; the only non-thread-safe operation, destroying
    /// them, happens once in ``close()``, after the broker's users have stopped (the broker's service
    /// shuts down last). Publishing is further serialized on one ``BlockingQueue``.
    final class NATSConnection: @unchecked Sendable {
        let connection: OpaquePointer
        let jetStream: OpaquePointer
        private let failures: PublishFailures
        private let closed = Mutex(false)

        /// Connects (blocking), reconnecting for ever once connected.
        static func connect(url: String) throws -> NATSConnection {
            var options: OpaquePointer?
            try check(natsOptions_Create(&options), "create connection options")
            defer { natsOptions_Destroy(options) }
            try check(natsOptions_SetURL(options, url), "use the URL \(url)")
            try check(natsOptions_SetTimeout(options, 2_000), "set the connect timeout")
            try check(natsOptions_SetMaxReconnect(options, -1), "set reconnection")
            try check(natsOptions_SetReconnectWait(options, 250), "set the reconnect wait")

            var connection: OpaquePointer?
            try check(natsConnection_Connect(&connection, options), "connect to \(url)")
            guard let connection else { throw NATSError(.notConnected, "connect to \(url)", reason: "no connection returned") }

            let failures = PublishFailures()
            var jsOptions = CNats.jsOptions()
            jsOptions_Init(&jsOptions)
            jsOptions.Wait = 10_000
            jsOptions.PublishAsync.MaxPending = 16_384
            jsOptions.PublishAsync.ErrHandler = { _, error, closure in
                guard let closure, let error else { return }
                Unmanaged<PublishFailures>.fromOpaque(closure).takeUnretainedValue().record(status: error.pointee.Err)
            }
            jsOptions.PublishAsync.ErrHandlerClosure = Unmanaged.passUnretained(failures).toOpaque()
            var jetStream: OpaquePointer?
            let status = natsConnection_JetStream(&jetStream, connection, &jsOptions)
            guard status == NATS_OK, let jetStream else {
                natsConnection_Destroy(connection)
                throw NATSError("open JetStream", status: status)
            }
            return NATSConnection(connection: connection, jetStream: jetStream, failures: failures)
        }

        private init(connection: OpaquePointer, jetStream: OpaquePointer, failures: PublishFailures) {
            self.connection = connection
            self.jetStream = jetStream
            self.failures = failures
        }

        /// Creates the stream, or updates it to `subjects` if it exists (idempotent at every start).
        func ensureStream(name: String, subjects: [String], duplicateWindowNanoseconds: Int64, maxAgeNanoseconds: Int64) throws {
            let cName = strdup(name)
            let cSubjects: [UnsafePointer<CChar>?] = subjects.map { UnsafePointer(strdup($0)) }
            defer {
                free(cName)
                for subject in cSubjects { free(UnsafeMutablePointer(mutating: subject)) }
            }
            var config = jsStreamConfig()
            jsStreamConfig_Init(&config)
            config.Name = UnsafePointer(cName)
            config.Storage = js_FileStorage
            config.Retention = js_LimitsPolicy
            config.Duplicates = duplicateWindowNanoseconds
            config.MaxAge = maxAgeNanoseconds
            var mutableSubjects = cSubjects
            try mutableSubjects.withUnsafeMutableBufferPointer { buffer in
                config.Subjects = buffer.baseAddress
                config.SubjectsLen = Int32(buffer.count)
                var info: UnsafeMutablePointer<jsStreamInfo>?
                var errorCode = jsErrCode(rawValue: 0)
                var status = js_AddStream(&info, jetStream, &config, nil, &errorCode)
                if status != NATS_OK && errorCode == JSStreamNameExistErr {
                    errorCode = jsErrCode(rawValue: 0)
                    status = js_UpdateStream(&info, jetStream, &config, nil, &errorCode)
                }
                jsStreamInfo_Destroy(info)
                try check(status, "create or update the stream \(name)", jetStreamCode: errorCode)
            }
        }

        /// Publishes `messages` asynchronously, many in flight, and returns once JetStream has
        /// acknowledged them all; throws if any was refused or timed out.
        func publish(_ messages: [(id: String, subject: String, payload: [UInt8])], timeoutMilliseconds: Int64) throws {
            // While nats.c reconnects, a publish would wait the whole timeout for acknowledgements that
            // cannot come, and the outbox relay would hold its database connection all that time.
            guard natsConnection_Status(connection) == NATS_CONN_STATUS_CONNECTED else {
                throw NATSError(.notConnected, "publish \(messages.count) messages", reason: "not connected to the server (reconnecting)")
            }
            let failuresBefore = failures.count
            for message in messages {
                var msg: OpaquePointer?
                try message.payload.withUnsafeBufferPointer { bytes in
                    let data = UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self)
                    try check(natsMsg_Create(&msg, message.subject, nil, data, Int32(bytes.count)), "create a message")
                }
                var options = jsPubOptions()
                jsPubOptions_Init(&options)
                // JetStream drops a second message with the same Nats-Msg-Id within the duplicate window.
                let status = message.id.withCString { id in
                    options.MsgId = id
                    return js_PublishMsgAsync(jetStream, &msg, &options)
                }
                natsMsg_Destroy(msg)  // a no-op when the library took the message
                try check(status, "publish \(message.id)")
            }
            var completion = jsPubOptions()
            jsPubOptions_Init(&completion)
            completion.MaxWait = timeoutMilliseconds
            try check(js_PublishAsyncComplete(jetStream, &completion), "confirm \(messages.count) published messages")
            let failed = failures.count - failuresBefore
            if failed > 0 {
                throw NATSError(
                    .notAcknowledged, "publish \(messages.count) messages", reason: "\(failed) were not acknowledged (\(failures.lastReason))")
            }
        }

        /// Closes the connection and frees the C objects; later calls are not allowed.
        func close() {
            let wasClosed = closed.withLock { closed in
                defer { closed = true }
                return closed
            }
            guard !wasClosed else { return }
            jsCtx_Destroy(jetStream)
            natsConnection_Close(connection)
            natsConnection_Destroy(connection)
        }
    }

    /// Counts asynchronous publishes that JetStream refused, from nats.c's error callback thread.
    final class PublishFailures: Sendable {
        private let state = Mutex((count: 0, reason: ""))

        func record(status: natsStatus) {
            let reason = String(cString: natsStatus_GetText(status))
            state.withLock { $0 = ($0.count + 1, reason) }
        }

        var count: Int { state.withLock { $0.count } }
        var lastReason: String { state.withLock { $0.reason } }
    }
#endif
