import Synchronization

/// Wakes one waiting loop early: a relay when rows are added, a consumer when messages arrive.
///
/// A ring with nobody waiting is remembered, so the next wait returns at once and nothing is
/// missed between a check and a wait. Exactly one loop may wait on a doorbell; a second waiting
/// at the same time is a programming error and traps.
public final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Creates a doorbell.
    public init() {}

    /// Wakes the waiter, or the next one if none waits now.
    public func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.rung = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns when rung, after `timeout`, or when the task is cancelled, whichever is first.
    public func wait(upTo timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForRing() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled { self.ring() }
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForRing() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Bool in
                    if state.rung {
                        state.rung = false
                        return true
                    }
                    // A doorbell wakes one loop: a second waiter would silently replace the first,
                    // which would then sleep until its timeout. That is a wiring mistake, so it stops
                    // the process at once instead.
                    precondition(state.waiter == nil, "A Doorbell has one waiter; a second loop waited on it")
                    state.waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            ring()
        }
    }
}
