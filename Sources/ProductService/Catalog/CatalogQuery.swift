import EmporiumCore
import FluentKit
import Hummingbird

/// The filters and order of `GET /api/v1/products`: `q` (words that must all appear in the SKU,
/// name or description), `category`, `minPrice` and `maxPrice` (minor units, inclusive; a minimum above the maximum matches nothing), and
/// `sort` (`name`, `price`, `-price`, `newest`, `bestselling`). Every order ends with the id, so
/// that pages never overlap or skip.
struct CatalogQuery: Sendable, Equatable {
    enum Sort: String, CaseIterable, Sendable {
        case name, price
        case priceDescending = "-price"
        case newest, bestselling
    }

    var words: [String] = []
    var category: String?
    var minPrice: Int?
    var maxPrice: Int?
    var sort: Sort = .name

    init(query: Parameters) throws {
        if let q = query.get("q") {
            guard q.unicodeScalars.count <= 200 else {
                throw Problem(.invalidParameter, detail: "`q` must be at most 200 characters long.", field: "q")
            }
            // LIKE's wildcards are dropped: they are never part of a word someone searches for.
            words = q.lowercased().split(whereSeparator: \.isWhitespace).map { String($0.filter { !"%_\\".contains($0) }) }.filter { !$0.isEmpty }
        }
        if let category = query.get("category") {
            guard CatalogValidation.isSlug(category) else {
                throw Problem(.invalidParameter, detail: "`category` must be a slug such as kitchen, got \"\(category)\".", field: "category")
            }
            self.category = category
        }
        minPrice = try Self.price(query, "minPrice")
        maxPrice = try Self.price(query, "maxPrice")
        if let text = query.get("sort") {
            guard let sort = Sort(rawValue: text) else {
                let choices = Sort.allCases.map(\.rawValue).joined(separator: ", ")
                throw Problem(.invalidParameter, detail: "`sort` must be one of \(choices), got \"\(text)\".", field: "sort")
            }
            self.sort = sort
        }
    }

    /// The query over products that are not deleted, filtered and ordered.
    func apply(to query: QueryBuilder<ProductRecord>) -> QueryBuilder<ProductRecord> {
        var query = query.filter(\.$deletedAt == nil)
        for word in words { query = query.filter(\.$searchText ~~ word) }
        if let category { query = query.filter(\.$category == category) }
        if let minPrice { query = query.filter(\.$priceAmount >= minPrice) }
        if let maxPrice { query = query.filter(\.$priceAmount <= maxPrice) }
        return query
    }

    /// The ordering, with the id last.
    func order(_ query: QueryBuilder<ProductRecord>) -> QueryBuilder<ProductRecord> {
        let ordered =
            switch sort {
            case .name: query.sort(\.$name)
            case .price: query.sort(\.$priceAmount).sort(\.$name)
            case .priceDescending: query.sort(\.$priceAmount, .descending).sort(\.$name)
            case .newest: query.sort(\.$createdAt, .descending)
            case .bestselling: query.sort(\.$salesCount, .descending).sort(\.$name)
            }
        return ordered.sort(\.$id)
    }

    private static func price(_ query: Parameters, _ name: String) throws -> Int? {
        guard let text = query.get(name) else { return nil }
        guard let value = Int(text), (0...CatalogValidation.maxPrice).contains(value) else {
            throw Problem(
                .invalidParameter, detail: "`\(name)` must be a whole number of cents from 0 to \(CatalogValidation.maxPrice), got \"\(text)\".",
                field: name)
        }
        return value
    }
}
