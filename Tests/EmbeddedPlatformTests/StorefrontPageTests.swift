import AsyncHTTPClient
import Contracts
import EmbeddedPlatform
import EmporiumCore
import EmporiumTestSupport
import Foundation
import NIOHTTP1
import Testing

/// The storefront's pages through the gateway, as a browser without JavaScript uses them:
/// plain GETs and form posts with the session cookie. The browser's own view is in Tests/Browser.
@Suite(.tags(.platform), .timeLimit(.minutes(2))) struct StorefrontPageTests {
    static let skillet = "00000000-0000-4000-8000-0000000D0001"

    /// A browser's cookie jar of one: the session cookie the storefront set.
    struct Browser {
        let gateway: String
        var cookie: String?

        mutating func get(_ path: String) async throws -> TestResponse {
            let response = try await HTTP.send(.GET, gateway + path, headers: cookie.map { [("Cookie", $0)] } ?? [])
            keepCookie(of: response)
            return response
        }

        mutating func post(_ path: String, form: [String: String]) async throws -> TestResponse {
            let response = try await HTTP.send(.POST, gateway + path, form: form, headers: cookie.map { [("Cookie", $0)] } ?? [])
            keepCookie(of: response)
            return response
        }

        private mutating func keepCookie(of response: TestResponse) {
            if let set = response.headers.first(name: "set-cookie") { cookie = String(set.split(separator: ";")[0]) }
        }
    }

    static func text(_ response: TestResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    /// The CSRF token of the page's forms.
    static func formToken(in page: TestResponse) throws -> String {
        let html = text(page)
        let marker = "name=\"csrf\" value=\""
        let start = try #require(html.range(of: marker)?.upperBound, "the page has no form")
        return String(html[start...].prefix { $0 != "\"" })
    }

    @Test func theCatalogIsAPageWithTheShopsHeadersAndASessionCookie() async throws {
        try await PlatformFixture.withPlatform { report in
            var browser = Browser(gateway: report.gatewayURL)
            let page = try await browser.get("/")
            #expect(page.status == 200)
            #expect(page.contentType == "text/html; charset=utf-8")
            let policy = try #require(page.headers.first(name: "content-security-policy"))
            #expect(policy.contains("default-src 'self'") && policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe-inline"))
            let cookie = try #require(page.headers.first(name: "set-cookie"))
            #expect(cookie.hasPrefix("emporium-session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"), "a plain-HTTP shop cannot set a Secure cookie")
            #expect(Self.text(page).contains("Cast Iron Skillet 26 cm") && Self.text(page).contains("€39.90"))
        }
    }

    @Test func aVisitorFillsACartWithFormsAndTheHeaderCountsIt() async throws {
        try await PlatformFixture.withPlatform { report in
            var browser = Browser(gateway: report.gatewayURL)
            let product = try await browser.get("/products/\(Self.skillet)")
            let token = try Self.formToken(in: product)
            // The client follows the form's 303 to the page it names, as a browser does.
            let added = try await browser.post("/cart/items", form: ["csrf": token, "product": Self.skillet, "quantity": "2", "return": "/cart"])
            #expect(added.status == 200 && Self.text(added).contains("<h1>Your cart</h1>"))
            let cart = try await browser.get("/cart")
            #expect(Self.text(cart).contains("aria-label=\"Cart, 2 items\""))
            #expect(Self.text(cart).contains("€79.80"))

            let removed = try await browser.post("/cart/items/\(Self.skillet)/remove", form: ["csrf": token])
            #expect(Self.text(removed).contains("Your cart is empty"))
        }
    }

    @Test func aFormWithoutTheSessionsTokenChangesNothing() async throws {
        try await PlatformFixture.withPlatform { report in
            var browser = Browser(gateway: report.gatewayURL)
            _ = try await browser.get("/")
            for token in ["", "forged", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"] {
                let refused = try await browser.post("/cart/items", form: ["csrf": token, "product": Self.skillet, "quantity": "1"])
                #expect(refused.status == 403)
                #expect(Self.text(refused).contains("This form has expired"))
                #expect(refused.contentType == "text/html; charset=utf-8")
            }
            // Another visitor's token is not this visitor's.
            var other = Browser(gateway: report.gatewayURL)
            let theirs = try Self.formToken(in: try await other.get("/products/\(Self.skillet)"))
            #expect(try await browser.post("/cart/items", form: ["csrf": theirs, "product": Self.skillet, "quantity": "1"]).status == 403)
            #expect(Self.text(try await browser.get("/cart")).contains("aria-label=\"Cart, 0 items\""))
        }
    }

    @Test func unknownProductsAndPagesAreHTMLPagesNotProblemDocuments() async throws {
        try await PlatformFixture.withPlatform { report in
            var browser = Browser(gateway: report.gatewayURL)
            for path in ["/products/\(UUID().uuidString.lowercased())", "/products/not-an-id", "/cart/nothing-here", "/assets/missing.css"] {
                let page = try await browser.get(path)
                #expect(page.status == 404, "\(path)")
                #expect(page.contentType == "text/html; charset=utf-8", "\(path)")
                #expect(Self.text(page).contains("<h1>Not found</h1>"), "\(path)")
            }
            let wrongMethod = try await HTTP.send(.DELETE, report.gatewayURL + "/cart")
            #expect(wrongMethod.status == 405)
        }
    }

    @Test func aProductNamedWithMarkupIsEscapedAndPricesAreCheckedBeforeTheAPIIsAsked() async throws {
        try await PlatformFixture.withPlatform { report in
            let admin = try await HTTP.login(report.gatewayURL, email: DemoAccount.admin.email, password: DemoAccount.defaultPassword).accessToken
            let created = try await HTTP.send(
                .POST, report.gatewayURL + "/api/v1/products", token: admin,
                json: NewProductBody(sku: "XSS-001", name: "<script>alert(1)</script>", description: "\"quoted\" & <b>bold</b>"),
                headers: [("Idempotency-Key", UUID().uuidString)])
            #expect(created.status == 201)
            var browser = Browser(gateway: report.gatewayURL)
            let catalog = Self.text(try await browser.get("/?q=alert"))
            #expect(catalog.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!catalog.contains("<script>alert"))
            let invalid = try await browser.get("/?min=abc&max=12.345")
            #expect(invalid.status == 400)
            #expect(Self.text(invalid).components(separatedBy: "Enter an amount in euros").count == 3, "both prices are marked")
        }
    }

    @Test func theGatewayPassesABrowsersCookieButNeitherChecksNorForwardsATokenToPages() async throws {
        try await PlatformFixture.withPlatform { report in
            let page = try await HTTP.send(.GET, report.gatewayURL + "/", headers: [("Authorization", "Bearer not-a-token")])
            #expect(page.status == 200, "a page is not the API: the storefront holds the tokens")
            let api = try await HTTP.send(.GET, report.gatewayURL + "/api/v1/products", headers: [("Authorization", "Bearer not-a-token")])
            #expect(api.status == 401)
        }
    }

    struct NewProductBody: Encodable {
        struct Price: Encodable {
            var amount = 990
            var currency = "EUR"
        }
        var sku: String
        var name: String
        var description: String
        var category = "testing"
        var price = Price()
        var stock = 4
    }
}
