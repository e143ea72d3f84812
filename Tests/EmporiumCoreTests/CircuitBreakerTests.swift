import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// The breaker's states, on a clock the test moves.
@Suite(.timeLimit(.minutes(2))) struct CircuitBreakerTests {
    struct Boom: Error {}
    struct BadRequest: Error {}

    final class TestClock: Sendable {
        let now = Mutex(ContinuousClock.now)
        func advance(_ duration: Duration) { now.withLock { $0 += duration } }
        var read: @Sendable () -> ContinuousClock.Instant { { self.now.withLock { $0 } } }
    }

    func fail(_ breaker: CircuitBreaker, times: Int) async {
        for _ in 0..<times { _ = try? await breaker.run { () async throws -> Int in throw Boom() } }
    }

    @Test func eachReopeningWithoutASuccessStaysOpenTwiceAsLongUpToTheMaximum() async throws {
        let clock = TestClock()
        let settings = CircuitBreaker.Settings(failureThreshold: 1, openDuration: .seconds(1), maxOpenDuration: .seconds(3))
        let breaker = CircuitBreaker(name: "product@a", settings: settings, now: clock.read)
        // Open for 1 s, then (its trial failing) 2 s, then 3 s, the maximum, and 3 s again.
        for expected in [1, 2, 3, 3] {
            await fail(breaker, times: 1)
            clock.advance(.seconds(expected) - .milliseconds(1))
            #expect(breaker.state == .open, "still open just before \(expected) s")
            clock.advance(.milliseconds(1))
            #expect(breaker.state == .halfOpen)
        }
        // A success ends the doubling: the next opening is 1 s again.
        _ = try await breaker.run { 1 }
        await fail(breaker, times: 1)
        clock.advance(.seconds(1))
        #expect(breaker.state == .halfOpen)
    }

    @Test func opensAfterTheThresholdAndRefusesWithoutCalling() async throws {
        let clock = TestClock()
        let breaker = CircuitBreaker(name: "payment-gateway", settings: .init(failureThreshold: 3, openDuration: .seconds(10)), now: clock.read)
        await fail(breaker, times: 2)
        #expect(breaker.state == .closed)
        await fail(breaker, times: 1)
        #expect(breaker.state == .open)

        let calls = Mutex(0)
        await #expect(throws: CircuitOpen.self) {
            try await breaker.run { calls.withLock { $0 += 1 } }
        }
        #expect(calls.withLock { $0 } == 0)
        let refusal = CircuitOpen(dependency: "payment-gateway", retryAfter: .seconds(10))
        #expect(refusal.problem.status == .serviceUnavailable)
        #expect(refusal.problem.headers[.retryAfter] == "10")
    }

    @Test func aTrialAfterTheOpenDurationClosesOrReopens() async throws {
        let clock = TestClock()
        let breaker = CircuitBreaker(name: "shipping", settings: .init(failureThreshold: 1, openDuration: .seconds(5)), now: clock.read)
        await fail(breaker, times: 1)
        clock.advance(.seconds(5))
        #expect(breaker.state == .halfOpen)
        // The trial fails: open again for another period.
        await fail(breaker, times: 1)
        #expect(breaker.state == .open)
        clock.advance(.seconds(5))
        // The trial succeeds: closed.
        #expect(try await breaker.run { 42 } == 42)
        #expect(breaker.state == .closed)
    }

    @Test func clientErrorsDoNotCountAsTheDependencyFailing() async throws {
        let breaker = CircuitBreaker(name: "product", settings: .init(failureThreshold: 2, openDuration: .seconds(5)))
        for _ in 0..<5 {
            _ = try? await breaker.run({ () async throws -> Int in throw BadRequest() }, isFailure: { !($0 is BadRequest) })
        }
        #expect(breaker.state == .closed)
    }

    @Test func readinessShowsAnOpenBreakerAsDegraded() async throws {
        let breaker = CircuitBreaker(name: "payment-gateway", settings: .init(failureThreshold: 1, openDuration: .seconds(60)))
        #expect(await breaker.readinessCheck.check().status == .ready)
        await fail(breaker, times: 1)
        let result = await breaker.readinessCheck.check()
        #expect(result == .degraded("open"))
        #expect(breaker.readinessCheck.name == "circuit:payment-gateway")
    }

    @Test func onlyIdempotentCallsAreRetried() async throws {
        let caller = DependencyCaller(
            breaker: CircuitBreaker(name: "x", settings: .init(failureThreshold: 100)),
            retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2))
        )
        let attempts = Mutex(0)
        _ = try? await caller.call(idempotent: true) { () async throws -> Int in
            attempts.withLock { $0 += 1 }
            throw Boom()
        }
        #expect(attempts.withLock { $0 } == 3)
        attempts.withLock { $0 = 0 }
        _ = try? await caller.call(idempotent: false) { () async throws -> Int in
            attempts.withLock { $0 += 1 }
            throw Boom()
        }
        #expect(attempts.withLock { $0 } == 1)
        // A transient failure then success: the idempotent call succeeds.
        attempts.withLock { $0 = 0 }
        let value = try await caller.call(idempotent: true) { () async throws -> Int in
            let attempt = attempts.withLock {
                $0 += 1
                return $0
            }
            if attempt < 2 { throw Boom() }
            return attempt
        }
        #expect(value == 2)
    }
}

/// `/health/ready` with an open breaker: still 200, reported as degraded.
@Suite(.timeLimit(.minutes(2))) struct DegradedReadinessTests {
    @Test func anOpenBreakerMakesTheComponentDegradedNotUnready() async throws {
        let breaker = CircuitBreaker(name: "payment-gateway", settings: .init(failureThreshold: 1, openDuration: .seconds(60)))
        _ = try? await breaker.run { () async throws -> Int in throw CircuitBreakerTests.Boom() }
        let server = try ComponentServer(component: "payment", settings: HTTPServerSettings(port: 0))
        let app = server.makeApplication(router: server.makeRouter(readiness: [breaker.readinessCheck]))
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/health/ready", method: .get)
            #expect(response.status == .ok)
            let report = try JSONDecoder().decode(HealthReport.self, from: Data(response.body.readableBytesView))
            #expect(report.status == "degraded")
            #expect(report.checks["circuit:payment-gateway"] == .degraded("open"))
        }
    }
}
