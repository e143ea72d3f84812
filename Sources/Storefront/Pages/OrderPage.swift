import EmporiumClient
import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import WebSupport

/// `/orders/{id}`: one of the customer's orders, with its history, its payments, and the forms
/// that pay it (with a test card, one `Idempotency-Key` per form) and cancel it; and
/// `/orders/{id}/live`, the server-sent events that let the page follow the order without a reload.
struct OrderPage: Sendable {
    let tokens: AccessTokens
    let frame: PageFrame

    /// How long one live stream lasts before the browser reconnects: under the gateway's
    /// upstream timeout, which would otherwise cut it.
    static let streamLifetime: Duration = .seconds(8)
    /// How often a live stream looks at the order.
    static let pollInterval: Duration = .seconds(1)
    /// How long a payment waits for an order still reserving its stock.
    static let reservationWait: Duration = .seconds(10)

    struct Values: Sendable {
        var chrome: PageChrome
        var order: OrderView
        var cards: [Card]
        var paymentKey: String
        var notice: String?
        var noticeIsError: Bool
    }

    struct Card: Sendable {
        var value: String
        var label: String
        var checked: Bool
    }

    /// `GET /orders/{id}`.
    @Sendable func show(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.respond(to: request) { visit in
            let id = try Self.orderID(context)
            let notice = Self.notice(request.formQuery["done"])
            return try await page(id, for: visit, notice: notice?.text, isError: notice?.isError ?? false)
        }
    }

    /// `POST /orders/{id}/pay`: pays with the chosen test card; a decline sends the browser back
    /// to the order's page, whose new form (with a new key) pays again.
    @Sendable func pay(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.submit(request, context: context) { visit, form in
            let id = try Self.orderID(context)
            let customer = try await tokens.api(for: visit, returnTo: "/orders/\(id)")
            guard let method = form["method"], TestCard.all.contains(where: { $0.method == method }) else {
                return try await page(id, for: visit, notice: "Choose a card to pay with.", isError: true, status: .unprocessableContent)
            }
            guard let key = form["payment-key"], UUID(uuidString: key) != nil else {
                throw PageError.badRequest("The payment form has no payment key. Reload the order's page and pay again.")
            }
            try await waitWhilePending(id, as: customer)
            do {
                _ = try await customer.pay(id, with: method, key: key)
            } catch let problem as APIProblem where problem.status == 402 {
                return PageFrame.seeOther("/orders/\(id)?done=declined")
            } catch let problem as APIProblem where [409, 422].contains(problem.status) {
                return try await page(
                    id, for: visit, notice: problem.detail, isError: true, status: HTTPResponse.Status(code: problem.status), method: method)
            }
            return PageFrame.seeOther("/orders/\(id)?done=paid")
        }
    }

    /// `POST /orders/{id}/cancel`.
    @Sendable func cancel(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        try await frame.submit(request, context: context) { visit, _ in
            let id = try Self.orderID(context)
            let customer = try await tokens.api(for: visit, returnTo: "/orders/\(id)")
            do {
                _ = try await customer.cancel(id)
            } catch let problem as APIProblem where problem.status == 409 {
                return try await page(id, for: visit, notice: problem.detail, isError: true, status: .conflict)
            }
            return PageFrame.seeOther("/orders/\(id)?done=cancelled")
        }
    }

    /// `GET /orders/{id}/live`: an `order` event with the order's version now and each time it
    /// changes; the page's script fetches the page again when the version is not its own.
    @Sendable func live(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        let visit = try await frame.visits.visit(for: request)
        let id = try Self.orderID(context)
        let customer = try await tokens.api(for: visit)
        guard try await customer.order(id) != nil else { throw PageError.notFound(what: "that order") }
        let logger = context.logger
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
                var sent = ""
                let end = ContinuousClock.now + Self.streamLifetime
                while ContinuousClock.now < end {
                    do {
                        guard let order = try await customer.order(id) else { break }
                        let payments = order.status == .pending ? [] : try await customer.recentPayments()
                        let version = OrderView(order, payments: payments).version
                        if version != sent {
                            try await writer.write(ByteBuffer(string: "event: order\ndata: \(version)\n\n"))
                            sent = version
                        }
                    } catch {
                        logger.notice("A live order stream ended early", metadata: ["error": "\(error)"])
                        break
                    }
                    try await Task.sleep(for: Self.pollInterval)
                }
                try await writer.finish(nil)
            }
        )
    }

    private func page(
        _ id: String, for visit: Visit, notice: String? = nil, isError: Bool = false, status: HTTPResponse.Status = .ok,
        method: String = TestCard.all[0].method
    ) async throws -> Response {
        let customer = try await tokens.api(for: visit, returnTo: "/orders/\(id)")
        guard let order = try await customer.order(id) else { throw PageError.notFound(what: "that order") }
        let view = OrderView(order, payments: try await customer.recentPayments())
        let values = Values(
            chrome: try await frame.chrome(title: "Order \(view.reference)", visit: visit), order: view,
            cards: TestCard.all.map { Card(value: $0.method, label: $0.label, checked: $0.method == method) },
            paymentKey: UUID().uuidString.lowercased(), notice: notice, noticeIsError: isError)
        return try frame.renderer.page("order", values, status: status)
    }

    /// Waits, for a bounded time, until a new order's stock is reserved: paying before then is
    /// refused, and the refusal would be kept under the form's key.
    private func waitWhilePending(_ id: String, as customer: CustomerAPI) async throws {
        let end = ContinuousClock.now + Self.reservationWait
        while ContinuousClock.now < end {
            guard let order = try await customer.order(id), order.status == .pending else { return }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// The message after a form was sent; only these words, never text from the address.
    static func notice(_ done: String?) -> (text: String, isError: Bool)? {
        switch done {
        case "paid": ("Thank you: your payment went through. The order ships shortly.", false)
        case "cancelled": ("The order is cancelled. A payment is refunded to the card it came from.", false)
        case "declined": ("Your payment was declined. The reason is under Payments; choose another card and pay again.", true)
        default: nil
        }
    }

    private static func orderID(_ context: EmporiumRequestContext) throws -> String {
        guard let id = context.parameters.get("id"), UUID(uuidString: id) != nil else { throw PageError.notFound(what: "that order") }
        return id
    }
}
