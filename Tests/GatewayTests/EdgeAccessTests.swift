import Contracts
import EmporiumCore
import EmporiumTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Gateway

/// The gateway's own checks, before anything reaches a service.
@Suite(.timeLimit(.minutes(2))) struct EdgeAccessTests {
    let forwarding = ForwardingTests()

    @Test func catalogWritesNeedTheAdminRole() async throws {
        try await forwarding.withGateway { client, issuer in
            let anonymous = try await client.execute(
                uri: "/api/v1/products", method: .post, headers: [.contentType: "application/json"], body: .init(string: "{}"))
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate] == #"Bearer realm="emporium""#)
            #expect(anonymous.headers[.init("X-Upstream")!] == nil)

            let customer = try await issuer.token(roles: ["customer"])
            let forbidden = try await client.execute(
                uri: "/api/v1/products",
                method: .post,
                headers: [.authorization: "Bearer \(customer)", .contentType: "application/json"],
                body: .init(string: "{}")
            )
            #expect(forbidden.status == .forbidden)
            #expect(forbidden.headers[.wwwAuthenticate]?.contains(#"error="insufficient_scope""#) == true)
            #expect(forbidden.headers[.init("X-Upstream")!] == nil)
        }
    }

    @Test func aBadTokenIs401EvenOnAPublicRoute() async throws {
        try await forwarding.withGateway { client, issuer in
            var expired = issuer.claims(lifetime: .seconds(1), issuedAt: Date().addingTimeInterval(-3600))
            expired.roles = ["admin"]
            let token = try await issuer.sign(expired)
            let response = try await client.execute(uri: "/api/v1/products", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate]?.contains(#"error_description="it has expired""#) == true)
            let basic = try await client.execute(uri: "/api/v1/products", method: .get, headers: [.authorization: "Basic dXNlcjpwYXNz"])
            #expect(basic.status == .unauthorized)
        }
    }

    @Test func accessRulesOfThePublicAPI() {
        #expect(AccessRule.of(method: .get, path: "/api/v1/products/abc") == .anyone)
        #expect(AccessRule.of(method: .delete, path: "/api/v1/products/abc") == .role(.admin))
        #expect(AccessRule.of(method: .post, path: "/api/v1/users") == .anyone)
        #expect(AccessRule.of(method: .get, path: "/api/v1/users") == .role(.admin))
        #expect(AccessRule.of(method: .get, path: "/api/v1/users/me") == .authenticated)
        #expect(AccessRule.of(method: .get, path: "/api/v1/users/123") == .role(.admin))
        #expect(AccessRule.of(method: .post, path: "/auth/token") == .anyone)
        #expect(AccessRule.of(method: .get, path: "/api/v1/orders") == .authenticated)
        #expect(AccessRule.of(method: .get, path: "/api/v1/admin/orders") == .role(.admin))
        #expect(AccessRule.of(method: .get, path: "/api/v1/admin/payments") == .role(.admin))
        #expect(AccessRule.of(method: .get, path: "/api/v1/anything-new") == .authenticated)
    }

    @Test func tokenBucketsRefillAtTheirRate() {
        let limiter = TokenBucketLimiter(rate: 2, burst: 3)
        let start = ContinuousClock.now
        for _ in 0..<3 { #expect(limiter.take("a", now: start) == .allowed) }
        #expect(limiter.take("a", now: start) == .limited(retryAfterSeconds: 1))
        // Another client has its own bucket.
        #expect(limiter.take("b", now: start) == .allowed)
        // Half a second later one token is back, and only one.
        #expect(limiter.take("a", now: start + .milliseconds(500)) == .allowed)
        #expect(limiter.take("a", now: start + .milliseconds(500)) == .limited(retryAfterSeconds: 1))
        // Idle long enough, the bucket is full again but never fuller than the burst.
        let later = start + .seconds(60)
        for _ in 0..<3 { #expect(limiter.take("a", now: later) == .allowed) }
        #expect(limiter.take("a", now: later) != .allowed)
    }

    @Test func slowRatesAnnounceTheirWait() {
        let limiter = TokenBucketLimiter(rate: 0.1, burst: 1)
        let start = ContinuousClock.now
        #expect(limiter.take("a", now: start) == .allowed)
        #expect(limiter.take("a", now: start) == .limited(retryAfterSeconds: 10))
    }

    @Test func fullBucketsAreForgottenWhenTheTableGrows() {
        let limiter = TokenBucketLimiter(rate: 1, burst: 1, maxTrackedClients: 10)
        let start = ContinuousClock.now
        for client in 0..<10 { _ = limiter.take("client-\(client)", now: start) }
        // Ten seconds later every bucket is full again, so the eleventh client evicts them all;
        // the first client then starts with a full bucket, as if it had never been seen.
        _ = limiter.take("client-10", now: start + .seconds(10))
        #expect(limiter.take("client-0", now: start + .seconds(10)) == .allowed)
    }
}
