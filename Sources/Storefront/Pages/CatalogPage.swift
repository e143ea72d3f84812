import EmporiumClient
import EmporiumCore
import Foundation
import Hummingbird
import WebSupport

/// `GET /`: the catalog, searched, filtered, sorted and a page at a time. The filters are a plain
/// GET form, so every view of the catalog has an address of its own and works without JavaScript.
struct CatalogPage: Sendable {
    static let perPage = 12

    let api: ShopAPI
    let categories: CategoryList
    let frame: PageFrame

    struct Values: Sendable {
        var chrome: PageChrome
        var products: [ProductView]
        var filters: CatalogFilters
        var categories: [Choice]
        var sorts: [Choice]
        var total: Int
        var page: Int
        var pageCount: Int
        var previousPage: String?
        var nextPage: String?
        var hasProducts: Bool
        var summary: String
        /// The search, when there is one, for the summary.
        var searchPhrase: String?
        /// Where adding to the cart comes back to: this very view of the catalog.
        var returnPath: String
    }

    /// An option of a `<select>`.
    struct Choice: Sendable {
        var value: String
        var label: String
        var selected: Bool
    }

    @Sendable func show(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.respond(to: request) { visit in
            let filters = CatalogFilters(query: request.formQuery)
            var chrome = try await frame.chrome(title: "Catalog", visit: visit)
            chrome.search = filters.search
            let found: ShopAPI.ProductPage
            if filters.isValid {
                found = try await api.catalog(filters.apiQuery(perPage: Self.perPage))
            } else {
                found = .init(value1: .init(page: 1, perPage: Self.perPage, total: 0), value2: .init(items: []))
            }
            let pageCount = PageNumbers.count(total: found.value1.total, perPage: Self.perPage)
            let page = min(found.value1.page, pageCount)
            let known = try await categories.all()
            let values = Values(
                chrome: chrome,
                products: found.value2.items.map(ProductView.init),
                filters: filters,
                categories: [Choice(value: "", label: "All categories", selected: filters.category.isEmpty)]
                    + known.map { Choice(value: $0, label: $0.capitalized, selected: $0 == filters.category) },
                sorts: CatalogFilters.sorts.map { Choice(value: $0.value, label: $0.label, selected: $0.value == filters.sort) },
                total: found.value1.total,
                page: page,
                pageCount: pageCount,
                previousPage: page > 1 ? filters.address(page: page - 1) : nil,
                nextPage: page < pageCount ? filters.address(page: page + 1) : nil,
                hasProducts: !found.value2.items.isEmpty,
                summary: found.value1.total == 1 ? "1 product" : "\(found.value1.total) products",
                searchPhrase: filters.search.isEmpty ? nil : filters.search,
                returnPath: filters.address(page: page)
            )
            return try frame.renderer.page("catalog", values, status: filters.isValid ? .ok : .badRequest)
        }
    }
}
