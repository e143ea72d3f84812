import EmporiumClient
import EmporiumCore
import Hummingbird
import WebSupport

/// `GET /orders`: the customer's orders, newest first, a page at a time.
struct OrdersPage: Sendable {
    let tokens: AccessTokens
    let frame: PageFrame

    static let perPage = 20

    struct Values: Sendable {
        var chrome: PageChrome
        var orders: [OrderView]
        var hasOrders: Bool
        var page: Int
        var pageCount: Int
        var previousPage: Int?
        var nextPage: Int?
    }

    @Sendable func show(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.respond(to: request) { visit in
            let customer = try await tokens.api(for: visit)
            let page = PageNumbers.requested(request.formQuery["page"])
            let found = try await customer.orders(page: page, perPage: Self.perPage)
            let pageCount = PageNumbers.count(total: found.value1.total, perPage: Self.perPage)
            let values = Values(
                chrome: try await frame.chrome(title: "Your orders", visit: visit),
                orders: found.value2.items.map { OrderView($0, payments: []) }, hasOrders: found.value1.total > 0, page: page,
                pageCount: pageCount, previousPage: page > 1 ? page - 1 : nil, nextPage: page < pageCount ? page + 1 : nil)
            return try frame.renderer.page("orders", values)
        }
    }
}
