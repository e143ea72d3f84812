import AsyncHTTPClient
import EmporiumCore
import EmporiumTestSupport
import Foundation
import HTTPTypes
import Logging
import Synchronization
import Testing

/// How the verifier learns about new keys, and how it avoids being made to fetch.
@Suite(.timeLimit(.minutes(2))) struct KeyCacheTests {
    /// A clock the test moves.
    final class TestClock: Sendable {
        private let instant = Mutex(ContinuousClock.now)
        func advance(_ duration: Duration) { instant.withLock { $0 += duration } }
        var read: @Sendable () -> ContinuousClock.Instant { { self.instant.withLock { $0 } } }
    }

    @Test func aNewKidIsFetchedOnceThenCached() async throws {
        let clock = TestClock()
        try await TokenAttackTests.withVerifier(keyRefreshInterval: .seconds(30), now: clock.read) { issuer, verifier in
            _ = try await verifier.verify(try await issuer.token())
            #expect(issuer.jwksFetches == 1)
            for _ in 0..<5 { _ = try await verifier.verify(try await issuer.token()) }
            #expect(issuer.jwksFetches == 1)

            // A new key appears; once the refresh interval has passed since the last fetch, the
            // first token it signs makes the verifier fetch again, once.
            let next = TestIssuer.Key()
            issuer.publish(next)
            let signedByNext = try await issuer.sign(issuer.claims(), with: next)
            // Within the interval, an unknown key is refused without a fetch.
            await #expect(throws: AuthenticationFailure.self) { try await verifier.verify(signedByNext) }
            #expect(issuer.jwksFetches == 1)
            clock.advance(.seconds(31))
            _ = try await verifier.verify(signedByNext)
            #expect(issuer.jwksFetches == 2)
            // Tokens of the old key stay valid.
            _ = try await verifier.verify(try await issuer.token())
            _ = try await verifier.verify(signedByNext)
            #expect(issuer.jwksFetches == 2)
        }
    }

    @Test func madeUpKidsDoNotMakeTheVerifierFetchAgain() async throws {
        try await TokenAttackTests.withVerifier { issuer, verifier in
            _ = try await verifier.verify(try await issuer.token())
            for _ in 0..<20 {
                let forged = try await issuer.sign(issuer.claims(), with: TestIssuer.Key())
                #expect(await TokenAttackTests.rejection(forged, by: verifier) == "it is signed by an unknown key")
            }
            // Only the first unknown kid may cause a refetch within the refresh interval.
            #expect(issuer.jwksFetches <= 2)
        }
    }

    @Test func concurrentFirstRequestsShareOneFetch() async throws {
        try await TokenAttackTests.withVerifier { issuer, verifier in
            let token = try await issuer.token()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 { group.addTask { _ = try await verifier.verify(token) } }
                try await group.waitForAll()
            }
            #expect(issuer.jwksFetches == 1)
        }
    }

    @Test func anUnreachableProviderIs503NotAnInvalidToken() async throws {
        let client = OutboundHTTPClient()
        let verifier = AuthSettings(issuer: .fixed("http://127.0.0.1:1")).makeVerifier(client: client, logger: .init(label: "test"))
        let issuer = TestIssuer()
        let token = try await issuer.run { try await issuer.token() }
        do {
            _ = try await verifier.verify(token)
            Issue.record("a token was accepted without its keys")
        } catch {
            guard case .keysUnavailable = error else {
                Issue.record("expected keysUnavailable, got \(error)")
                return
            }
            #expect(error.problem.status == .serviceUnavailable)
        }
        try await client.client.shutdown()
    }
}
