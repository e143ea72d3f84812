public import Logging
import ServiceLifecycle

/// The one shape of every long-running loop in the platform (outbox relays, event consumers,
/// background duties, health probes, broker maintenance): run a step until graceful shutdown;
/// after a step, wait as the step asks; after a step that throws, log it and back off. Every
/// wait and every backoff ends early at graceful shutdown, so that no loop holds a process up.
public struct BackgroundLoop: Sendable {
    /// What the loop does after a step that succeeded.
    public enum Next: Sendable {
        /// Runs the next step at once: more work is waiting.
        case again
        /// Waits until `doorbell` rings or `upTo` has passed.
        case wait(Doorbell, upTo: Duration)
        /// Waits `for` a fixed time.
        case sleep(Duration)
    }

    /// The loop's name in its log lines (`outbox relay`, `consumer order.saga`).
    public let name: String
    /// The backoff after consecutive failed steps.
    public let backoff: RetryPolicy
    let logger: Logger

    /// Describes a loop.
    /// - Parameters:
    ///   - name: What it is, in its log lines.
    ///   - backoff: The delays after consecutive failures; a loop never gives up, it slows down.
    ///   - logger: Where failures and recoveries are logged.
    public init(name: String, backoff: RetryPolicy = .relay, logger: Logger) {
        self.name = name
        self.backoff = backoff
        self.logger = logger
    }

    /// Runs `step` until graceful shutdown or cancellation; the step in hand is finished first.
    /// - Parameters:
    ///   - failureNote: Said in the warning of a failed step (what becomes of the work meanwhile).
    ///   - step: One round of the loop's work; says what to do next.
    public func run(failureNote: String = "trying again", _ step: () async throws -> Next) async {
        var failures = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let next: Next
            do {
                next = try await step()
            } catch {
                failures += 1
                logger.warning("\(name) failed; \(failureNote)", metadata: ["error": "\(error)", "failures": "\(failures)"])
                await Self.sleepUnlessShuttingDown(backoff.delay(afterAttempt: failures))
                continue
            }
            if failures > 0 {
                logger.notice("\(name) recovered", metadata: ["failures": "\(failures)"])
                failures = 0
            }
            switch next {
            case .again:
                continue
            case .wait(let doorbell, let timeout):
                await withGracefulShutdownHandler {
                    await doorbell.wait(upTo: timeout)
                } onGracefulShutdown: {
                    doorbell.ring()
                }
            case .sleep(let duration):
                await Self.sleepUnlessShuttingDown(duration)
            }
        }
    }

    /// Sleeps for `duration`, or until graceful shutdown or cancellation, whichever is first.
    static func sleepUnlessShuttingDown(_ duration: Duration) async {
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
    }
}
