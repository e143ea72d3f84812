import EmporiumClient
import EmporiumCore
import Foundation
import Hummingbird
import WebSupport

/// The back office's orders: `/admin/orders` lists every customer's, newest first, filtered by
/// status; `/admin/orders/{id}` shows one with its history and every payment attempt.
struct AdminOrdersPage: Sendable {
    static let perPage = 25

    let tokens: AccessTokens
    let frame: PageFrame

    struct ListValues: Sendable {
        var chrome: PageChrome
        var orders: [Row]
        var hasOrders: Bool
        var statuses: [CatalogPage.Choice]
        var total: Int
        var page: Int
        var pageCount: Int
        var previousPage: String?
        var nextPage: String?
        var summary: String { total == 1 ? "1 order" : "\(total) orders" }
    }

    struct Row: Sendable {
        var order: OrderView
        var customer: String
    }

    struct OrderValues: Sendable {
        var chrome: PageChrome
        var order: OrderView
        var customer: String
    }

    /// `GET /admin/orders?status=…&page=…`; an unknown status shows every order.
    @Sendable func list(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.respond(to: request) { visit in
            let admin = try await tokens.adminAPI(for: visit)
            let query = request.formQuery
            let status = query["status"].flatMap(AdminAPI.OrderStatus.init(rawValue:))
            let page = PageNumbers.requested(query["page"])
            let found = try await admin.orders(status: status, page: page, perPage: Self.perPage)
            let pageCount = PageNumbers.count(total: found.value1.total, perPage: Self.perPage)
            let link = { (page: Int) in "/admin/orders?" + FormEncoding.encode(["status": status?.rawValue ?? "", "page": "\(page)"]) }
            let values = ListValues(
                chrome: try await frame.chrome(title: "Orders · Back office", visit: visit),
                orders: found.value2.items.map { Row(order: OrderView($0, payments: []), customer: $0.customerId) },
                hasOrders: !found.value2.items.isEmpty,
                statuses: [CatalogPage.Choice(value: "", label: "Every status", selected: status == nil)]
                    + AdminAPI.OrderStatus.allCases.map {
                        CatalogPage.Choice(value: $0.rawValue, label: OrderView.label(of: $0), selected: $0 == status)
                    },
                total: found.value1.total, page: page, pageCount: pageCount, previousPage: page > 1 ? link(page - 1) : nil,
                nextPage: page < pageCount ? link(page + 1) : nil)
            return try frame.renderer.page("admin-orders", values)
        }
    }

    /// `GET /admin/orders/{id}`.
    @Sendable func show(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.respond(to: request) { visit in
            let admin = try await tokens.adminAPI(for: visit)
            guard let id = context.parameters.get("id"), UUID(uuidString: id) != nil, let order = try await admin.order(id) else {
                throw PageError.notFound(what: "that order")
            }
            let view = OrderView(order, payments: try await admin.payments(ofOrder: order.id))
            let values = OrderValues(
                chrome: try await frame.chrome(title: "Order \(view.reference) · Back office", visit: visit), order: view,
                customer: order.customerId)
            return try frame.renderer.page("admin-order", values)
        }
    }
}
