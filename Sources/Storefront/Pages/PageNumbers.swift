/// The page numbers of a list shown a page at a time: which page was asked for, and how many
/// there are. One place, so that every list reads `?page=` and counts its pages alike.
enum PageNumbers {
    /// The highest page a list is asked for; beyond it the page is the last one asked for.
    static let maxPage = 10_000

    /// The page `?page=` asks for: 1 when it is missing or not a number, at most ``maxPage``.
    static func requested(_ value: String?) -> Int {
        max(1, min(Int(value ?? "") ?? 1, maxPage))
    }

    /// How many pages `total` items fill at `perPage` a page; an empty list is one page.
    static func count(total: Int, perPage: Int) -> Int {
        max(1, (total + perPage - 1) / perPage)
    }
}
