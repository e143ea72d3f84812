#if NATS
    import CNats
    import EmporiumCore
    import Foundation
    import Synchronization

    /// Pulls every subject of a multi-subject consumer group at once, each on a thread of its own,
    /// into one buffer that ``NATSConsumerGroup/fetch(max:wait:)`` takes from.
    ///
    /// nats-server 2.9 filters a consumer on one subject, so a group with several subjects has several
    /// pull subscriptions; asked in turns, an idle group added to each event's latency for every
    /// subject (ADR 22). Here a message is in the buffer as soon as the server hands it to any of them.
    ///
    /// A puller stops pulling while the buffer holds `capacity` deliveries, so that few messages wait
    /// unprocessed against their ack deadline, and sleeps until ``take(max:wait:)`` makes room (or
    /// ``stop()`` is called); those still buffered at ``stop()`` are nak'ed, so that another instance
    /// gets them at once.
    final class SubjectPullers: Sendable {
        private struct State {
            var buffered: [Delivery] = []
            var failure: NATSError?
            var stopping = false
            /// The pullers asleep on their semaphore, by index: each is signalled once per sleep, so
            /// that no signal is lost (the flag is set under the lock that checked for room) and none
            /// piles up.
            var asleep: Set<Int> = []
        }

        private let state = Mutex(State())
        private let arrived = Doorbell()
        /// One per puller, signalled when there is room again or the pullers stop.
        private let wakeUps: [DispatchSemaphore]
        private let capacity: Int
        private let finished = DispatchGroup()

        /// Starts one puller per subscription. `fetch` is the group's own single pull request.
        init(subscriptions: [OpaquePointer], capacity: Int, fetch: @escaping @Sendable (OpaquePointer, Int, Duration) throws -> [Delivery]) {
            self.capacity = capacity
            self.wakeUps = subscriptions.map { _ in DispatchSemaphore(value: 0) }
            for (index, subscription) in subscriptions.enumerated() {
                // A `Thread` per subject: the pull requests block for up to a second, which must never
                // happen on the cooperative pool, and a long-lived loop should not hold a Dispatch worker.
                let address = UInt(bitPattern: subscription)
                finished.enter()
                let thread = Thread { [self] in
                    pull(OpaquePointer(bitPattern: address)!, index: index, fetch: fetch)
                    finished.leave()
                }
                thread.name = "emporium.nats.pull"
                thread.start()
            }
        }

        private func pull(_ subscription: OpaquePointer, index: Int, fetch: (OpaquePointer, Int, Duration) throws -> [Delivery]) {
            var failures = 0
            while true {
                let (stopping, room) = state.withLock { state in
                    let room = capacity - state.buffered.count
                    if room <= 0 && !state.stopping { state.asleep.insert(index) }
                    return (state.stopping, room)
                }
                if stopping { return }
                if room <= 0 {
                    wakeUps[index].wait()
                    continue
                }
                do {
                    let got = try fetch(subscription, room, .seconds(1))
                    failures = 0
                    guard !got.isEmpty else { continue }
                    state.withLock { $0.buffered += got }
                    arrived.ring()
                } catch {
                    failures += 1
                    let backingOff = state.withLock { state -> Bool in
                        state.failure = error as? NATSError ?? NATSError(.library(status: 0, jetStream: nil), "fetch messages", reason: "\(error)")
                        guard !state.stopping else { return false }
                        state.asleep.insert(index)
                        return true
                    }
                    arrived.ring()
                    guard backingOff else { return }
                    // The backoff, cut short by stop() (or by room made, which does no harm).
                    let delay = RetryPolicy.consumerFetch.delay(afterAttempt: failures)
                    if wakeUps[index].wait(timeout: .now() + .nanoseconds(Int(delay.nanoseconds))) == .timedOut,
                        state.withLock({ $0.asleep.remove(index) }) == nil
                    {
                        // Signalled just as the wait ended: take that signal, so that it does not cut
                        // a later sleep short.
                        wakeUps[index].wait()
                    }
                }
            }
        }

        /// Up to `max` buffered deliveries, waiting up to `wait` for the first; throws a puller's
        /// failure when nothing is buffered (the consumer then backs off, as with a single subject).
        func take(max: Int, wait: Duration) async throws -> [Delivery] {
            if let taken = try takeBuffered(max) { return taken }
            await arrived.wait(upTo: wait)
            return try takeBuffered(max) ?? []
        }

        private func takeBuffered(_ max: Int) throws -> [Delivery]? {
            let (taken, failure, woken) = state.withLock { state -> ([Delivery], NATSError?, Set<Int>) in
                let taken = Array(state.buffered.prefix(max))
                state.buffered.removeFirst(taken.count)
                defer { state.failure = nil }
                var woken: Set<Int> = []
                if !taken.isEmpty { swap(&woken, &state.asleep) }
                return (taken, taken.isEmpty ? state.failure : nil, woken)
            }
            for index in woken { wakeUps[index].signal() }
            if let failure { throw failure }
            return taken.isEmpty ? nil : taken
        }

        /// Stops the pullers, waits for them (each within its one-second pull), and returns what was
        /// still buffered, for the group to nak.
        func stop() -> [Delivery] {
            let woken = state.withLock { state in
                state.stopping = true
                defer { state.asleep = [] }
                return state.asleep
            }
            for index in woken { wakeUps[index].signal() }
            finished.wait()
            return state.withLock { state in
                defer { state.buffered = [] }
                return state.buffered
            }
        }
    }
#endif
