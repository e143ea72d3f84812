/// What the ``EmbeddedBroker`` keeps in memory about one consumer group: a copy of its durable
/// rows (`broker_groups`, `broker_pending`), so that a claim with nothing to hand out costs no
/// SQL statement and a claim that hands messages out costs two.
///
/// The copy is exact because the broker actor is the only writer of its database file while it is
/// open: every change goes to the rows first and then to this copy. When a statement fails, the copy
/// is dropped and reloaded from the rows on the next claim.
struct EmbeddedGroupState {
    /// One unacknowledged delivery.
    struct Pending {
        /// How many times the message has been handed out.
        var deliveries: Int64
        /// When it may be handed out again (seconds since 1970).
        var visibleAt: Double
    }

    /// The subjects the group takes.
    let subjects: [String]
    /// Every message at or below this position has been handed out to the group, or was never its
    /// own. The row may lag behind over messages of other subjects only: skipping them again after
    /// a restart hands out nothing.
    var watermark: Int64
    /// The unacknowledged deliveries, by position.
    var pending: [Int64: Pending]
    /// False once a claim has found nothing past `watermark`, until a message of the group's
    /// subjects is published: until then a claim need not look.
    var mayHaveNew = true

    /// The positions due again at `now`, lowest first, at most `max`.
    func due(at now: Double, max: Int) -> [Int64] {
        Array(pending.filter { $0.value.visibleAt <= now }.keys.sorted().prefix(max))
    }

    /// When the earliest unacknowledged delivery becomes due again, if there is one.
    var nextDue: Double? { pending.values.lazy.map(\.visibleAt).min() }
}

/// Lets the claims of one consumer group take turns across the broker actor's suspension points,
/// so that two handles of a group never hand out the same message.
struct ClaimTurns {
    private var busy: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Takes `group`'s turn and returns true when no claim of it is running; otherwise queues
    /// `waiter`, to be resumed by ``pass(_:)``, and returns false.
    mutating func take(_ group: String, waiter: CheckedContinuation<Void, Never>) -> Bool {
        guard busy.contains(group) else {
            busy.insert(group)
            return true
        }
        waiting[group, default: []].append(waiter)
        return false
    }

    /// Hands the turn to the next waiting claim of `group`, if any; returns it to resume.
    mutating func pass(_ group: String) -> CheckedContinuation<Void, Never>? {
        guard var queue = waiting[group], !queue.isEmpty else {
            busy.remove(group)
            return nil
        }
        let next = queue.removeFirst()
        waiting[group] = queue.isEmpty ? nil : queue
        return next  // the group stays busy: the turn passes straight to `next`
    }
}
