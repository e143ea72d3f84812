#if NATS
    import Dispatch

    /// A serial queue for blocking nats.c calls (connect, fetch, publish-complete, stream admin), so
    /// that none of them ever occupies a thread of Swift's cooperative pool.
    struct BlockingQueue: Sendable {
        let queue: DispatchQueue

        init(label: String) {
            queue = DispatchQueue(label: label)
        }

        /// Runs `body` on the queue and returns its result to the awaiting task.
        func run<Result: Sendable>(_ body: @Sendable @escaping () throws -> Result) async throws -> Result {
            try await withCheckedThrowingContinuation { continuation in
                queue.async { continuation.resume(with: Swift.Result { try body() }) }
            }
        }
    }
#endif
