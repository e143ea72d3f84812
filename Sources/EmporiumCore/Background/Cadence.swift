/// Paces a chore inside a busy loop: due at the first look, then at most once per `interval`.
///
/// Loops such as the outbox relay and the event consumers come round after every batch; a chore
/// that needs doing every second or every ten minutes (a gauge, a cleanup, a look for operator
/// requests) must not cost a query per batch.
struct Cadence {
    /// The least time between two runs of the chore.
    let interval: Duration
    private var lastRun: ContinuousClock.Instant?

    init(every interval: Duration) {
        self.interval = interval
    }

    /// Whether the chore is due now; if it is, the run is counted from now.
    mutating func isDue() -> Bool {
        let now = ContinuousClock.now
        guard lastRun.map({ now - $0 >= interval }) ?? true else { return false }
        lastRun = now
        return true
    }
}
