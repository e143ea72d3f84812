import AsyncHTTPClient
import Contracts
import EmbeddedPlatform
import EmporiumCore
import EmporiumTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// A signed-in storefront session outlives its access tokens: the storefront renews them with the
/// refresh token, as a browser that signed in through the provider's page never notices.
@Suite(.tags(.platform), .timeLimit(.minutes(2))) struct StorefrontSessionTests {
    @Test func aSessionOutlivesItsAccessTokens() async throws {
        // Tokens of two seconds, under the storefront's renewal margin: every page renews first.
        // The services tolerate no clock skew, so that a token that ran out is refused.
        var shortTokens = ConfigurationLayer()
        shortTokens.set("idp.access-token-seconds", 2)
        for component in ["gateway", "order"] { shortTokens.set("\(component).auth.leeway-seconds", 0) }
        try await PlatformFixture.withPlatform(configuration: shortTokens) { report in
            let browser = CodeFlowBrowser(gateway: report.gatewayURL)
            do {
                try await Self.browseLongerThanATokenLasts(browser)
            } catch {
                try await browser.shutdown()
                throw error
            }
            try await browser.shutdown()
        }
    }

    private static func browseLongerThanATokenLasts(_ browser: CodeFlowBrowser) async throws {
        let customer = DemoAccount.customer
        let orders = try await browser.signIn(email: customer.email, password: DemoAccount.defaultPassword, returnTo: "/orders")
        #expect(orders.status == 200)
        #expect(String(decoding: orders.body, as: UTF8.self).contains("<h1>Your orders</h1>"))
        for _ in 0..<2 {
            // Waiting is the point here: each token the sign-in or a renewal gave has run out.
            try await Task.sleep(for: .seconds(3))
            let page = try await browser.send(.GET, "/orders")
            #expect(page.status == 200, "an expired access token is renewed, and the rotated refresh token renews again")
            #expect(String(decoding: page.body, as: UTF8.self).contains("Signed in as \(customer.name)"))
        }
    }
}
