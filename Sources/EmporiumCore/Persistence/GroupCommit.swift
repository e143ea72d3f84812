import FluentKit
import SQLKit
import Synchronization

/// Commits the write transactions that wait for one SQLite database together: one `BEGIN …
/// COMMIT`, and so one WAL fsync, for every transaction that queued while the previous commit ran,
/// each inside a savepoint of its own so that one whose work fails is rolled back alone.
///
/// A SQLite file has one writer (ADR 5), so these transactions ran one after another anyway; each
/// paid a commit of its own, and under concurrent load the commits were the bottleneck (ADR 14).
/// Nothing changes for a caller: its work sees the same isolation (transactions still run one at
/// a time, in arrival order), and it returns only once its writes are durable, or throws its own
/// error (its writes undone) or the commit's.
///
/// A transaction that has waited `maxWait` without its turn (the writer overloaded or stalled) is
/// given up without running and throws ``DatabaseBusy``, as a connection pool's timeout would:
/// the caller answers 503 at once instead of holding its client for as long as the queue lasts.
actor GroupCommit {
    private struct Job: Sendable {
        /// When it joined the queue.
        let queuedAt: ContinuousClock.Instant
        /// Runs the transaction's work on the shared transaction; returns whether it succeeded.
        let run: @Sendable (any Database) async -> Bool
        /// Tells the caller how its transaction ended, once the shared commit has (`nil`: committed).
        let finish: @Sendable ((any Error)?) -> Void
    }

    private let handle: @Sendable () -> any Database
    private let maxWait: Duration
    private var waiting: [Job] = []
    private var committing = false
    /// Wakes when the oldest waiting transaction reaches `maxWait`; one at a time.
    private var watchdog: Task<Void, Never>?

    /// - Parameters:
    ///   - maxWait: How long a transaction may wait for its turn before it is given up.
    ///   - handle: Makes a handle on the database.
    init(maxWait: Duration = .seconds(10), handle: @escaping @Sendable () -> any Database) {
        self.maxWait = maxWait
        self.handle = handle
    }

    /// Runs `work` in a transaction committed with whatever else is waiting.
    func transaction<Result: Sendable>(_ work: @escaping @Sendable (any Database) async throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
            let outcome = Outcome<Result>()
            waiting.append(
                Job(
                    queuedAt: .now,
                    run: { database in
                        do {
                            outcome.set(.success(try await work(database)))
                            return true
                        } catch {
                            outcome.set(.failure(error))
                            return false
                        }
                    },
                    finish: { commitError in
                        switch (outcome.get(), commitError) {
                        case (.failure(let own)?, _): continuation.resume(throwing: own)
                        case (_, let commitError?): continuation.resume(throwing: commitError)
                        case (.success(let value)?, nil): continuation.resume(returning: value)
                        case (nil, nil): continuation.resume(throwing: GroupCommitError.notRun)
                        }
                    }
                )
            )
            if !committing {
                committing = true
                Task { await commitWaiting() }
            } else {
                armWatchdog()
            }
        }
    }

    /// Makes sure something wakes when the oldest waiting transaction's time is up, while the
    /// writer is busy (an idle writer takes the queue at once).
    private func armWatchdog() {
        guard watchdog == nil, let oldest = waiting.first else { return }
        let deadline = oldest.queuedAt + maxWait
        watchdog = Task {
            try? await Task.sleep(until: deadline, clock: .continuous)
            guard !Task.isCancelled else { return }
            watchdogFired()
        }
    }

    private func watchdogFired() {
        watchdog = nil
        giveUpOverdue()
        if committing { armWatchdog() }
    }

    /// Fails the transactions that have waited `maxWait` without running.
    private func giveUpOverdue() {
        let now = ContinuousClock.now
        let overdue = waiting.prefix { now - $0.queuedAt >= maxWait }
        guard !overdue.isEmpty else { return }
        waiting.removeFirst(overdue.count)
        for job in overdue { job.finish(DatabaseBusy(waited: now - job.queuedAt)) }
    }

    /// Commits batch after batch until nothing waits.
    private func commitWaiting() async {
        while !waiting.isEmpty {
            giveUpOverdue()
            let batch = waiting
            waiting.removeAll()
            guard !batch.isEmpty else { break }
            do {
                try await handle().transaction { transaction in
                    guard batch.count > 1 else {
                        // Alone, the work needs no savepoint: if it fails, the transaction rolls back.
                        if await batch[0].run(transaction) { return }
                        throw GroupCommitError.workFailed
                    }
                    let sql = try transaction.sql
                    for job in batch {
                        try await sql.raw("SAVEPOINT emporium_group_commit").run()
                        if await !job.run(transaction) {
                            try await sql.raw("ROLLBACK TO emporium_group_commit").run()
                        }
                        try await sql.raw("RELEASE emporium_group_commit").run()
                    }
                }
                for job in batch { job.finish(nil) }
            } catch GroupCommitError.workFailed {
                batch[0].finish(nil)  // its own error is reported: nothing else was in the transaction
            } catch {
                for job in batch { job.finish(error) }
            }
        }
        committing = false
        watchdog?.cancel()
        watchdog = nil
    }
}

/// A job's result, set inside the shared transaction and read after its commit.
private final class Outcome<Value: Sendable>: Sendable {
    private let value = Mutex<Result<Value, any Error>?>(nil)

    func set(_ result: Result<Value, any Error>) {
        value.withLock { $0 = result }
    }

    func get() -> Result<Value, any Error>? {
        value.withLock { $0 }
    }
}

/// A write transaction waited longer than its limit for the database's writer and was given up
/// without running: nothing it would have written was written. Answered with a 503.
public struct DatabaseBusy: Error, CustomStringConvertible {
    /// How long it waited.
    public let waited: Duration

    /// What happened, for logs.
    public var description: String { "the database's writer was busy for \(waited); the transaction did not run" }
}

enum GroupCommitError: Error {
    /// A lone transaction's work failed (its own error goes to its caller).
    case workFailed
    /// The shared transaction ended before the job ran (cannot happen: every job runs or the commit fails).
    case notRun
}
