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
actor GroupCommit {
    private struct Job: Sendable {
        /// Runs the transaction's work on the shared transaction; returns whether it succeeded.
        let run: @Sendable (any Database) async -> Bool
        /// Tells the caller how its transaction ended, once the shared commit has (`nil`: committed).
        let finish: @Sendable ((any Error)?) -> Void
    }

    private let handle: @Sendable () -> any Database
    private var waiting: [Job] = []
    private var committing = false

    /// - Parameter handle: Makes a handle on the database.
    init(handle: @escaping @Sendable () -> any Database) {
        self.handle = handle
    }

    /// Runs `work` in a transaction committed with whatever else is waiting.
    func transaction<Result: Sendable>(_ work: @escaping @Sendable (any Database) async throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
            let outcome = Outcome<Result>()
            waiting.append(
                Job(
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
            }
        }
    }

    /// Commits batch after batch until nothing waits.
    private func commitWaiting() async {
        while !waiting.isEmpty {
            let batch = waiting
            waiting.removeAll()
            do {
                try await handle().transaction { transaction in
                    guard batch.count > 1 else {
                        // Alone, the work needs no savepoint: if it fails, the transaction rolls back.
                        if await batch[0].run(transaction) { return }
                        throw GroupCommitError.workFailed
                    }
                    guard let sql = transaction as? any SQLDatabase else { throw GroupCommitError.notSQL }
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

enum GroupCommitError: Error {
    /// The database driver does not speak SQL (every driver Emporium uses does).
    case notSQL
    /// A lone transaction's work failed (its own error goes to its caller).
    case workFailed
    /// The shared transaction ended before the job ran (cannot happen: every job runs or the commit fails).
    case notRun
}
