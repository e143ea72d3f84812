import EmporiumClient
import EmporiumCore
import Hummingbird

/// The catalog's filters as the visitor typed them, checked before the API is asked: a price
/// that is not an amount is shown as an error next to its field, not sent on.
struct CatalogFilters: Sendable {
    /// The orders the catalog offers, as the API names them and as the page says them.
    static let sorts: [(value: String, label: String)] = [
        ("name", "Name"), ("price", "Price, lowest first"), ("-price", "Price, highest first"), ("newest", "Newest"),
        ("bestselling", "Bestselling"),
    ]

    var search = ""
    var category = ""
    var minPrice = ""
    var maxPrice = ""
    var sort = "name"
    var page = 1
    /// What is wrong with each field, shown next to it.
    var searchError: String?
    var minPriceError: String?
    var maxPriceError: String?

    /// Whether every field can be sent to the API as it is.
    var isValid: Bool { searchError == nil && minPriceError == nil && maxPriceError == nil }

    init(query: [String: String]) {
        search = query["q"]?.trimmingWhitespace ?? ""
        if search.unicodeScalars.count > 200 { searchError = "Search for at most 200 characters." }
        let category = query["category"] ?? ""
        if category.isEmpty || category.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }) {
            self.category = category
        }
        minPrice = query["min"]?.trimmingWhitespace ?? ""
        maxPrice = query["max"]?.trimmingWhitespace ?? ""
        let amountError = "Enter an amount in euros, such as 25 or 12.50."
        if !minPrice.isEmpty && Self.cents(minPrice) == nil { minPriceError = amountError }
        if !maxPrice.isEmpty && Self.cents(maxPrice) == nil { maxPriceError = amountError }
        if let sort = query["sort"], Self.sorts.contains(where: { $0.value == sort }) { self.sort = sort }
        if let text = query["page"], let page = Int(text), page >= 1 { self.page = min(page, 100_000) }
    }

    /// The API's query for this view of the catalog.
    func apiQuery(perPage: Int) -> ShopAPI.CatalogQuery {
        ShopAPI.CatalogQuery(
            page: page,
            perPage: perPage,
            q: search.isEmpty ? nil : search,
            category: category.isEmpty ? nil : category,
            minPrice: Self.cents(minPrice),
            maxPrice: Self.cents(maxPrice),
            sort: .init(rawValue: sort)
        )
    }

    /// The address of this view's page `page`.
    func address(page: Int) -> String {
        let fields = ["q": search, "category": category, "min": minPrice, "max": maxPrice, "sort": sort == "name" ? "" : sort]
            .filter { !$0.value.isEmpty }
            .merging(["page": String(page)]) { $1 }
        return "/?" + FormEncoding.encode(fields)
    }

    /// Euro cents of a typed amount, within what the catalog's prices can be.
    private static func cents(_ text: String) -> Int? {
        guard let cents = MoneyText.minorUnits(of: text, currency: "EUR"), cents <= 100_000_000 else { return nil }
        return cents
    }
}
