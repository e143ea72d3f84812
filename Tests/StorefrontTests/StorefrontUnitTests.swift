import EmporiumClient
import Hummingbird
import Testing

@testable import Storefront

/// The storefront's pieces that decide what a shopper reads or may do, without a platform.
@Suite struct StorefrontUnitTests {
    @Test func amountsReadTheSameOnEveryPage() {
        #expect(MoneyText.format(3990, currency: "EUR") == "€39.90")
        #expect(MoneyText.format(5, currency: "EUR") == "€0.05")
        #expect(MoneyText.format(123_456_78, currency: "EUR") == "€123,456.78")
        #expect(MoneyText.format(500, currency: "JPY") == "JP¥500", "no minor unit, and a symbol no other currency shares")
    }

    @Test func typedPricesBecomeMinorUnitsOrNothing() {
        #expect(MoneyText.minorUnits(of: "12", currency: "EUR") == 1200)
        #expect(MoneyText.minorUnits(of: "12.5", currency: "EUR") == 1250)
        #expect(MoneyText.minorUnits(of: "0.05", currency: "EUR") == 5)
        for text in ["", "abc", "12.345", "-3", "1e3", "12.", ".5", "١٢", "1,50", "9999999999"] {
            #expect(MoneyText.minorUnits(of: text, currency: "EUR") == nil, "\(text)")
        }
    }

    @Test func catalogFiltersKeepWhatWasTypedAndMarkWhatCannotBeSent() {
        let filters = CatalogFilters(query: ["q": "  iron ", "min": "ten", "max": "45.50", "sort": "-price", "page": "3", "category": "kitchen"])
        #expect(filters.search == "iron")
        #expect(filters.minPriceError != nil && filters.maxPriceError == nil && !filters.isValid)
        #expect(filters.sort == "-price" && filters.page == 3 && filters.category == "kitchen")
        let valid = CatalogFilters(query: ["min": "10", "max": "45.50", "sort": "nonsense", "category": "<b>"])
        #expect(valid.isValid && valid.sort == "name" && valid.category == "")
        let query = valid.apiQuery(perPage: 12)
        #expect(query.minPrice == 1000 && query.maxPrice == 4550 && query.sort == .name && query.category == nil)
        #expect(valid.address(page: 2) == "/?max=45.50&min=10&page=2")
    }

    @Test func formTokensBelongToOneSessionAndOneSecret() {
        let tokens = FormTokens(secret: String(repeating: "a", count: 32))
        let session = SessionCookie.newSessionID()
        let token = tokens.token(for: session)
        #expect(tokens.isValid(token, for: session))
        #expect(!tokens.isValid(token, for: SessionCookie.newSessionID()))
        #expect(!FormTokens(secret: String(repeating: "b", count: 32)).isValid(token, for: session))
        #expect(!tokens.isValid(nil, for: session) && !tokens.isValid("", for: session) && !tokens.isValid("%%%", for: session))
    }

    @Test func theSessionCookieIsHostBoundAndSecureBehindHTTPS() {
        let secure = SessionCookie(secure: true).cookie(for: SessionCookie.newSessionID(), lifetime: .seconds(60)).description
        #expect(secure.hasPrefix("__Host-emporium-session="))
        for attribute in ["Secure", "HttpOnly", "Path=/", "SameSite=Lax", "Max-Age=60"] { #expect(secure.contains(attribute), "\(attribute)") }
        #expect(!secure.contains("Domain"), "a __Host- cookie names no domain")
        let plain = SessionCookie(secure: false).cookie(for: SessionCookie.newSessionID(), lifetime: .seconds(60)).description
        #expect(plain.hasPrefix("emporium-session=") && !plain.contains("Secure"))
        #expect(SessionCookie.isWellFormed(SessionCookie.newSessionID()))
        #expect(!SessionCookie.isWellFormed("short") && !SessionCookie.isWellFormed(String(repeating: "=", count: 43)))
    }

    @Test func aFormReturnsOnlyToAPathOfThisShop() {
        #expect(CartPage.localPath("/products/1?added=1") == "/products/1?added=1")
        for path in ["//evil.example", "https://evil.example", "/\\evil.example", "evil", "/a\nb", nil] {
            #expect(CartPage.localPath(path) == nil, "\(String(describing: path))")
        }
    }

    @Test func theProductFormReadsItsNumbersAndPutsTheAPIsObjectionsBesideTheirFields() throws {
        var typed = ProductForm(isNew: true) { ["sku": "KIT-9", "name": " Pan ", "price": "twelve", "stock": "3.5"][$0] }
        let unreadable = typed.newProduct()
        #expect(unreadable == nil, "nothing is sent that the form cannot read")
        let marked = typed.fields.filter { $0.error != nil }.map(\.name)
        #expect(marked == ["price", "stock"])

        var fixed = ProductForm(isNew: true) { ["sku": "KIT-9", "name": " Pan ", "category": "kitchen", "price": "12.5", "stock": "3"][$0] }
        let readable = fixed.newProduct()
        let product = try #require(readable)
        #expect(product.price.amount == 1250 && product.stock == 3 && product.name == "Pan")
        let placed = fixed.accept(APIProblem(status: 400, type: "invalid-field", detail: "Too dear.", field: "price.amount"))
        #expect(placed)
        #expect(fixed.fields.first { $0.name == "price" }?.error == "Too dear.")
        let elsewhere = fixed.accept(APIProblem(status: 409, type: "conflict", detail: "Elsewhere.", field: "items[0]"))
        #expect(!elsewhere)

        let editing = ProductForm(isNew: false) { _ in nil }
        #expect(!editing.fields.contains { $0.name == "sku" }, "a SKU is not changed once given")
        #expect(MoneyText.plain(1290) == "12.90" && MoneyText.plain(5) == "0.05")
    }
}
