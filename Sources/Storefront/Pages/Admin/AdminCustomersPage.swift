import EmporiumClient
import EmporiumCore
import Hummingbird
import WebSupport

/// `GET /admin/customers`: the shop's accounts, by e-mail, a page at a time.
struct AdminCustomersPage: Sendable {
    static let perPage = 50

    let tokens: AccessTokens
    let frame: PageFrame

    struct Values: Sendable {
        var chrome: PageChrome
        var customers: [Row]
        var total: Int
        var page: Int
        var pageCount: Int
        var previousPage: Int?
        var nextPage: Int?
        var summary: String { total == 1 ? "1 account" : "\(total) accounts" }
    }

    struct Row: Sendable {
        var id: String
        var email: String
        var name: String
        var addressCount: Int
    }

    @Sendable func show(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.respond(to: request) { visit in
            let admin = try await tokens.adminAPI(for: visit)
            let page = PageNumbers.requested(request.formQuery["page"])
            let found = try await admin.customers(page: page, perPage: Self.perPage)
            let pageCount = PageNumbers.count(total: found.value1.total, perPage: Self.perPage)
            let values = Values(
                chrome: try await frame.chrome(title: "Customers · Back office", visit: visit),
                customers: found.value2.items.map { Row(id: $0.id, email: $0.email, name: $0.name, addressCount: $0.shippingAddresses.count) },
                total: found.value1.total, page: page, pageCount: pageCount, previousPage: page > 1 ? page - 1 : nil,
                nextPage: page < pageCount ? page + 1 : nil)
            return try frame.renderer.page("admin-customers", values)
        }
    }
}
