import AsyncHTTPClient
import Contracts
import EmbeddedPlatform
import EmporiumCore
import EmporiumTestSupport
import Foundation
import Gateway
import NIOHTTP1
import Testing

/// The gateway's token buckets, end to end.
@Suite(.tags(.platform), .timeLimit(.minutes(3))) struct RateLimitTests {
    /// Recovery itself is shown on a clock the test controls (`EdgeAccessTests`); here the rate is
    /// slow enough that no refill can happen however loaded the machine is.
    @Test func tokenEndpointAnswers429WithRetryAfter() async throws {
        let limits = RateLimitSettings(requestsPerSecond: 0, burst: 0, tokenRequestsPerMinute: 1, tokenBurst: 2)
        try await PlatformFixture.withPlatform(rateLimits: limits) { report in
            let form = [
                "grant_type": "password", "client_id": "emporium-web", "username": DemoAccount.customer.email,
                "password": DemoAccount.defaultPassword,
            ]
            for _ in 0..<2 {
                #expect(try await HTTP.send(.POST, "\(report.gatewayURL)/auth/token", form: form).status == 200)
            }
            let limited = try await HTTP.send(.POST, "\(report.gatewayURL)/auth/token", form: form)
            #expect(limited.status == 429)
            #expect(limited.problem?.type == "urn:emporium:problem:too-many-requests")
            let retryAfter = try #require(limited.headers.first(name: "retry-after").flatMap(Int.init))
            #expect((50...60).contains(retryAfter))
            // Other routes have their own bucket (unlimited here).
            #expect(try await HTTP.get("\(report.gatewayURL)/api/v1/products").status == 200)
        }
    }

    @Test func signedInUsersHaveTheirOwnBucket() async throws {
        let limits = RateLimitSettings(requestsPerSecond: 0.05, burst: 3, tokenRequestsPerMinute: 0, tokenBurst: 0)
        try await PlatformFixture.withPlatform(rateLimits: limits) { report in
            let gateway = report.gatewayURL
            // The login itself takes a token from the address's bucket.
            let token = try await HTTP.login(gateway, email: DemoAccount.customer.email, password: DemoAccount.defaultPassword).accessToken
            var statuses: [Int] = []
            for _ in 0..<3 { statuses.append(try await HTTP.get("\(gateway)/api/v1/products").status) }
            #expect(statuses == [200, 200, 429])
            // The same address, signed in, is counted as the user.
            for _ in 0..<3 { #expect(try await HTTP.get("\(gateway)/api/v1/products", token: token).status == 200) }
            #expect(try await HTTP.get("\(gateway)/api/v1/products", token: token).status == 429)
        }
    }
}
