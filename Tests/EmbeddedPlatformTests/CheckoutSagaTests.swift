import Contracts
import EmbeddedPlatform
import EmporiumCore
import EmporiumTestSupport
import Foundation
import NIOHTTP1
import Testing

/// Every path of the checkout saga, end to end through the gateway of the embedded platform:
/// Order, Product and Payment services over HTTP and the broker, with the payment-gateway and
/// shipping simulators.
@Suite(.tags(.platform), .timeLimit(.minutes(3))) struct CheckoutSagaTests {
    @Test func aPaidOrderShipsAndItsStockIsTaken() async throws {
        try await PlatformFixture.withPlatform { report in
            let shop = try await Shop.open(report)
            let customer = try await shop.newCustomer()
            let product = try await shop.newProduct(stock: 5, price: 1_250)
            let placed = try await shop.order(customer, product.id, quantity: 2)
            #expect(placed.status == .pending)
            #expect(placed.subtotal == Money(amount: 2_500, currency: "EUR"))
            #expect(placed.total.amount == placed.subtotal.amount + placed.shipping.amount)
            #expect(placed.shipping.amount > 0)
            try await shop.waitFor(.awaitingPayment, customer, order: placed.id)
            #expect(try await shop.stock(of: product.id) == 3)

            let paid = try await shop.pay(customer, placed.id)
            #expect(paid.status == 201, "\(String(decoding: paid.body, as: UTF8.self))")
            let payment = try paid.decodeDated(PaymentRepresentation.self)
            #expect(payment.status == .succeeded && payment.amount == placed.total)

            let shipped = try await shop.waitFor(.shipped, customer, order: placed.id)
            #expect(shipped.statusHistory.map(\.status) == [.pending, .awaitingPayment, .paid, .shipped])
            let shipment = try #require(shipped.shipment)
            #expect(!shipment.trackingNumber.isEmpty && !shipment.carrier.isEmpty)
            // Shipped orders can no longer be cancelled.
            let cancel = try await HTTP.send(.POST, "\(shop.gateway)/api/v1/orders/\(placed.id)/cancel", token: customer)
            #expect(cancel.status == 409 && cancel.problem?.type == "urn:emporium:problem:order-not-cancellable")
        }
    }

    @Test func aDeclinedOrderCanBePaidAgain() async throws {
        try await PlatformFixture.withPlatform { report in
            let shop = try await Shop.open(report)
            let customer = try await shop.newCustomer()
            let product = try await shop.newProduct(stock: 5)
            let placed = try await shop.order(customer, product.id)
            try await shop.waitFor(.awaitingPayment, customer, order: placed.id)

            let declined = try await shop.pay(customer, placed.id, method: "pm_card_chargeDeclined")
            #expect(declined.status == 402)
            #expect(declined.problem?.type == "urn:emporium:problem:payment-declined")
            let failed = try await shop.waitFor(.paymentFailed, customer, order: placed.id)
            #expect(failed.statusHistory.last?.reason == "generic_decline")

            let paid = try await shop.pay(customer, placed.id)
            #expect(paid.status == 201)
            try await shop.waitFor(.shipped, customer, order: placed.id)
            let payments = try await shop.payments(customer)
            #expect(payments.map(\.status).sorted { $0.rawValue < $1.rawValue } == [.failed, .succeeded])
            // Paid once: a third payment is refused.
            let again = try await shop.pay(customer, placed.id)
            #expect(again.status == 409)
        }
    }

    @Test func anOrderCancelledAfterPaymentIsRefundedAndItsStockReturns() async throws {
        // Shipments take 600 ms here, which leaves time to cancel a paid order before it ships.
        var slowShipping = ConfigurationLayer()
        slowShipping.set("shipping.latency-ms", 600)
        try await PlatformFixture.withPlatform(configuration: slowShipping) { report in
            let shop = try await Shop.open(report)
            let customer = try await shop.newCustomer()
            let product = try await shop.newProduct(stock: 4)
            let placed = try await shop.order(customer, product.id, quantity: 3)
            try await shop.waitFor(.awaitingPayment, customer, order: placed.id)
            let paid = try await shop.pay(customer, placed.id)
            try #require(paid.status == 201)
            let payment = try paid.decodeDated(PaymentRepresentation.self)
            try await shop.waitFor(.paid, customer, order: placed.id)

            let cancel = try await HTTP.send(.POST, "\(shop.gateway)/api/v1/orders/\(placed.id)/cancel", token: customer)
            #expect(cancel.status == 200)
            #expect(try cancel.decodeDated(OrderRepresentation.self).status == .cancelled)

            let refunded = try await eventually {
                try await shop.payments(customer).first { $0.id == payment.id }?.status == .refunded
            }
            #expect(refunded, "the payment of a cancelled order must be refunded")
            #expect(try await eventually { try await shop.stock(of: product.id) == 4 })
            // However long the shipment took, the order stays cancelled.
            try await Task.sleep(for: .seconds(1))
            #expect(try await shop.read(customer, order: placed.id).status == .cancelled)
        }
    }

    @Test func anUnpaidOrderExpiresAndReleasesItsStock() async throws {
        // Three seconds: time for the stock to be reserved first even on a loaded machine. The
        // test does not watch for awaiting_payment itself, which may pass between two polls.
        var shortWindow = ConfigurationLayer()
        shortWindow.set("order.payment-window-seconds", 3)
        try await PlatformFixture.withPlatform(configuration: shortWindow) { report in
            let shop = try await Shop.open(report)
            let customer = try await shop.newCustomer()
            let product = try await shop.newProduct(stock: 3)
            let placed = try await shop.order(customer, product.id, quantity: 2)
            let expired = try await shop.waitFor(.cancelled, customer, order: placed.id)
            #expect(expired.statusHistory.map(\.status) == [.pending, .awaitingPayment, .cancelled])
            #expect(expired.statusHistory.last?.reason == "expired")
            #expect(try await eventually { try await shop.stock(of: product.id) == 3 })
            let late = try await shop.pay(customer, placed.id)
            #expect(late.status == 409 && late.problem?.type == "urn:emporium:problem:order-not-payable")
        }
    }

    @Test func fiftyConcurrentOrdersForTenUnitsReserveExactlyTen() async throws {
        try await PlatformFixture.withPlatform { report in
            let shop = try await Shop.open(report)
            let customer = try await shop.newCustomer()
            let product = try await shop.newProduct(stock: 10)
            let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<50 { group.addTask { try await shop.placeOrder(customer, [OrderItemRequest(productId: product.id, quantity: 1)]) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let accepted = try responses.filter { $0.status == 201 }.map { try $0.decodeDated(OrderRepresentation.self).id }
            // An order refused up front saw no stock left; nothing else is acceptable.
            let unexpected = responses.filter { $0.status != 201 && $0.problem?.type != "urn:emporium:problem:insufficient-stock" }
            #expect(unexpected.isEmpty, "\(unexpected.map { String(decoding: $0.body, as: UTF8.self) })")
            #expect(accepted.count >= 10)
            var outcomes: [OrderStatus: Int] = [:]
            for id in accepted {
                let settled = try await settledOrder(shop, customer, id)
                outcomes[settled.status, default: 0] += 1
                if settled.status == .cancelled { #expect(settled.statusHistory.last?.reason == "stock_rejected") }
            }
            // Fifty orders at once outrun the reservations (6 to 14 of them were refused here), so
            // the stock-rejected path runs: those orders end cancelled, their stock untouched.
            #expect(outcomes[.cancelled, default: 0] >= 1)
            #expect(outcomes[.awaitingPayment] == 10)
            #expect(outcomes[.awaitingPayment, default: 0] + outcomes[.cancelled, default: 0] == accepted.count)
            #expect(try await shop.stock(of: product.id) == 0)
        }
    }

    /// The order once the Product Service has answered for its stock.
    private func settledOrder(_ shop: Shop, _ token: String, _ id: UUID) async throws -> OrderRepresentation {
        let deadline = ContinuousClock.now + .seconds(15)
        while true {
            let order = try await shop.read(token, order: id)
            if order.status != .pending || ContinuousClock.now > deadline { return order }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// Polls `condition` until it holds, for at most 15 s; returns whether it did.
func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(15)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
