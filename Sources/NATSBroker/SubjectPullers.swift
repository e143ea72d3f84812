#if NATS
import CNats
import EmporiumCore
import Foundation
import Synchronization

/// Pulls every subject of a multi-subject consumer group at once, each on a thread of its own,
/// into one buffer that ``NATSConsumerGroup/fetch(max:wait:)`` takes from.
///
/// nats-server 2.9 filters a consumer on one subject, so a group with several subjects has several
/// pull subscriptions; asked in turns, an idle group added up to 50 ms per subject to an event's
/// latency. Here a message is in the buffer as soon as the server hands it to any of them.
///
/// A puller stops pulling while the buffer holds `capacity` deliveries, so that few messages wait
/// unprocessed against their ack deadline; those still buffered at ``stop()`` are nak'ed, so that
/// another instance gets them at once.
final class SubjectPullers: Sendable {
    private struct State {
        var buffered: [Delivery] = []
        var failure: NATSError?
        var stopping = false
    }

    private let state = Mutex(State())
    private let arrived = Doorbell()
    private let capacity: Int
    private let finished = DispatchGroup()

    /// Starts one puller per subscription. `fetch` is the group's own single pull request.
    init(subscriptions: [OpaquePointer], capacity: Int, fetch: @escaping @Sendable (OpaquePointer, Int, Duration) throws -> [Delivery]) {
        self.capacity = capacity
        for subscription in subscriptions {
            // A `Thread` per subject: the pull requests block for up to a second, which must never
            // happen on the cooperative pool, and a long-lived loop should not hold a Dispatch worker.
            let address = UInt(bitPattern: subscription)
            finished.enter()
            let thread = Thread { [self] in
                pull(OpaquePointer(bitPattern: address)!, fetch: fetch)
                finished.leave()
            }
            thread.name = "emporium.nats.pull"
            thread.start()
        }
    }

    private func pull(_ subscription: OpaquePointer, fetch: (OpaquePointer, Int, Duration) throws -> [Delivery]) {
        var failures = 0
        while true {
            let (stopping, room) = state.withLock { ($0.stopping, capacity - $0.buffered.count) }
            if stopping { return }
            if room <= 0 {
                Thread.sleep(forTimeInterval: 0.002)
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
                state.withLock { $0.failure = error as? NATSError ?? NATSError("fetch messages", reason: "\(error)") }
                arrived.ring()
                Thread.sleep(forTimeInterval: RetryPolicy.consumerFetch.delay(afterAttempt: failures).seconds)
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
        let (taken, failure) = state.withLock { state -> ([Delivery], NATSError?) in
            let taken = Array(state.buffered.prefix(max))
            state.buffered.removeFirst(taken.count)
            defer { state.failure = nil }
            return (taken, taken.isEmpty ? state.failure : nil)
        }
        if let failure { throw failure }
        return taken.isEmpty ? nil : taken
    }

    /// Stops the pullers, waits for them (each within its one-second pull), and returns what was
    /// still buffered, for the group to nak.
    func stop() -> [Delivery] {
        state.withLock { $0.stopping = true }
        finished.wait()
        return state.withLock { state in
            defer { state.buffered = [] }
            return state.buffered
        }
    }
}
#endif
