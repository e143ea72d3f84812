import Synchronization

/// The console's memory of the last hour, for the figures of a window and for replay: a snapshot
/// per second for the last 15 minutes (the longest window), then one per 10 seconds for the rest
/// of the hour. At most ``capacity`` snapshots are kept, whatever the traffic.
final class TrafficHistory: Sendable {
    /// Seconds kept at full resolution: the longest window a user can pick.
    static let recentSpan = 900
    /// Seconds between the snapshots kept beyond that.
    static let olderSpacing = 10.0
    /// How far back replay reaches, in seconds.
    static let reach = 3600.0
    /// The most snapshots held.
    static let capacity = recentSpan + Int((reach - Double(recentSpan)) / olderSpacing)

    private struct Kept {
        var older: [TrafficSnapshot] = []
        var recent: [TrafficSnapshot] = []
    }

    private let kept = Mutex(Kept())
    /// The live graph of each window as JSON, made once per look however many streams send it.
    let liveGraphs = Mutex<[Int: (at: Double, json: String)]>([:])

    /// Adds the newest snapshot.
    func append(_ snapshot: TrafficSnapshot) {
        kept.withLock { kept in
            kept.recent.append(snapshot)
            guard kept.recent.count > Self.recentSpan else { return }
            let aged = kept.recent.removeFirst()
            if kept.older.last.map({ aged.at - $0.at >= Self.olderSpacing }) ?? true { kept.older.append(aged) }
            while let first = kept.older.first, snapshot.at - first.at > Self.reach { kept.older.removeFirst() }
        }
    }

    /// The newest snapshot, if any.
    var latest: TrafficSnapshot? { kept.withLock { $0.recent.last } }

    /// The time span kept: the oldest and newest snapshots' times.
    var span: (oldest: Double, newest: Double)? {
        kept.withLock { kept in
            guard let newest = kept.recent.last, let oldest = kept.older.first ?? kept.recent.first else { return nil }
            return (oldest.at, newest.at)
        }
    }

    /// The newest snapshot taken at or before `time`; the oldest kept when all are later.
    func snapshot(atOrBefore time: Double) -> TrafficSnapshot? {
        kept.withLock { kept in
            if let found = Self.last(in: kept.recent, atOrBefore: time) { return found }
            return Self.last(in: kept.older, atOrBefore: time) ?? kept.older.first ?? kept.recent.first
        }
    }

    /// Binary search: the snapshots are in time order.
    private static func last(in snapshots: [TrafficSnapshot], atOrBefore time: Double) -> TrafficSnapshot? {
        var low = 0
        var high = snapshots.count
        while low < high {
            let middle = (low + high) / 2
            if snapshots[middle].at <= time { low = middle + 1 } else { high = middle }
        }
        return low > 0 ? snapshots[low - 1] : nil
    }
}
