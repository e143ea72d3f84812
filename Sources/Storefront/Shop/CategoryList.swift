import EmporiumClient
import Foundation
import Synchronization

/// The catalog's categories, for the catalog's filter: read from the catalog's first hundred
/// products (the public API has no list of categories) and kept for a minute, so that a page view
/// costs no extra call.
final class CategoryList: Sendable {
    private let api: ShopAPI
    private let maxAge: Duration
    private let cached = Mutex<(categories: [String], readAt: ContinuousClock.Instant)?>(nil)

    init(api: ShopAPI, maxAge: Duration = .seconds(60)) {
        self.api = api
        self.maxAge = maxAge
    }

    /// The categories, sorted; the last ones known if the catalog cannot be read now.
    func all() async throws -> [String] {
        let now = ContinuousClock.now
        if let cached = cached.withLock({ $0 }), now - cached.readAt < maxAge { return cached.categories }
        do {
            let page = try await api.catalog(.init(page: 1, perPage: 100))
            let categories = Set(page.value2.items.map(\.category)).sorted()
            cached.withLock { $0 = (categories, now) }
            return categories
        } catch {
            if let stale = cached.withLock({ $0 }) { return stale.categories }
            throw error
        }
    }
}
