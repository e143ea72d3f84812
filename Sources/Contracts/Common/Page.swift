/// One page of a listing, with what a client needs to fetch the next one.
public struct Page<Item: Codable & Sendable>: Codable, Sendable {
    /// The items on this page, in the listing's stable order.
    public var items: [Item]
    /// This page's number, from 1.
    public var page: Int
    /// The page size asked for.
    public var perPage: Int
    /// How many items the whole listing has.
    public var total: Int

    /// Creates a page.
    public init(items: [Item], page: Int, perPage: Int, total: Int) {
        self.items = items
        self.page = page
        self.perPage = perPage
        self.total = total
    }

    /// The number of pages in the listing.
    public var pageCount: Int { total == 0 ? 0 : (total + perPage - 1) / perPage }
}

extension Page: Equatable where Item: Equatable {}
