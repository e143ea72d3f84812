public import Hummingbird

/// The `page` and `perPage` query parameters of a listing, validated.
public struct PageRequest: Sendable, Equatable {
    /// The largest page a client may ask for, so that one request cannot read a whole table.
    public static let maxPerPage = 100
    /// The page size when none is asked for.
    public static let defaultPerPage = 20

    /// The page number, from 1.
    public var page: Int
    /// Items per page, 1…``maxPerPage``.
    public var perPage: Int

    /// Creates a page request from values already validated.
    public init(page: Int = 1, perPage: Int = Self.defaultPerPage) {
        self.page = page
        self.perPage = perPage
    }

    /// Reads `page` and `perPage`, answering 400 naming the parameter when one is not a usable number.
    public init(query: Parameters) throws {
        self.init(
            page: try Self.integer(query, "page", default: 1, in: 1...1_000_000),
            perPage: try Self.integer(query, "perPage", default: Self.defaultPerPage, in: 1...Self.maxPerPage)
        )
    }

    /// How many items come before this page.
    public var offset: Int { (page - 1) * perPage }

    private static func integer(_ query: Parameters, _ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = query.get(name) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw Problem(
                .invalidParameter,
                detail: "`\(name)` must be a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(text)\".",
                field: name
            )
        }
        return value
    }
}
