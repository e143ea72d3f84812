import Contracts
import EmbeddedPlatform
import EmporiumCore
import EmporiumTestSupport
import Foundation
import NIOHTTP1
import Testing

/// What checkout and payment requests may and may not do: `Idempotency-Key` semantics, another
/// customer's orders and payments, and bad input — each refusal names the field and creates nothing.
@Suite(.tags(.platform), .timeLimit(.minutes(3))) struct CheckoutRequestTests {
    @Test func theSameIdempotencyKeyPlacesOneOrder() async throws {
        try await PlatformFixture.withPlatform { report in
            let shop = try await Shop.open(report)
            let customer = try await shop.newCustomer()
            let product = try await shop.newProduct(stock: 20)
            let items = [OrderItemRequest(productId: product.id, quantity: 1)]

            let first = try await shop.placeOrder(customer, items, key: "order-key-1")
            let repeated = try await shop.placeOrder(customer, items, key: "order-key-1")
            #expect(first.status == 201 && repeated.status == 201, "\(String(decoding: repeated.body, as: UTF8.self))")
            #expect(try repeated.decodeDated(OrderRepresentation.self).id == first.decodeDated(OrderRepresentation.self).id)
            #expect(repeated.headers.first(name: "idempotent-replayed") == "true")

            let other = try await shop.placeOrder(customer, [OrderItemRequest(productId: product.id, quantity: 2)], key: "order-key-1")
            #expect(other.status == 422 && other.problem?.type == "urn:emporium:problem:idempotency-key-reused")

            // Two at once with one key: one order.
            let concurrent = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<2 { group.addTask { try await shop.placeOrder(customer, items, key: "order-key-2") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let ids = Set(try concurrent.filter { $0.status == 201 }.map { try $0.decodeDated(OrderRepresentation.self).id })
            #expect(ids.count == 1)
            let orders = try await HTTP.get("\(shop.gateway)/api/v1/orders", token: customer).decodeDated(Contracts.Page<OrderRepresentation>.self)
            #expect(orders.total == 2)

            // A payment key replays the payment instead of charging twice.
            let order = try orders.items.first.map(\.id).unwrap()
            try await shop.waitFor(.awaitingPayment, customer, order: order)
            let paid = try await shop.pay(customer, order, key: "pay-key")
            let replayed = try await shop.pay(customer, order, key: "pay-key")
            #expect(paid.status == 201 && replayed.status == 201)
            #expect(try paid.decodeDated(PaymentRepresentation.self).id == replayed.decodeDated(PaymentRepresentation.self).id)
            #expect(try await shop.payments(customer).count == 1)
            let withoutKey = try await HTTP.send(
                .POST, "\(shop.gateway)/api/v1/orders", token: customer, json: NewOrder(items: items, shippingAddress: Shop.address))
            #expect(withoutKey.status == 400 && withoutKey.problem?.field == "Idempotency-Key")
        }
    }

    @Test func aQuoteCostsWhatTheOrderWillAndStoresNothing() async throws {
        try await PlatformFixture.withPlatform { report in
            let shop = try await Shop.open(report)
            let customer = try await shop.newCustomer()
            let product = try await shop.newProduct(stock: 4)
            let order = NewOrder(items: [OrderItemRequest(productId: product.id, quantity: 2)], shippingAddress: Shop.address)

            let quoted = try await HTTP.send(.POST, "\(shop.gateway)/api/v1/orders/quote", token: customer, json: order)
            #expect(quoted.status == 200, "\(String(decoding: quoted.body, as: UTF8.self))")
            let quote = try quoted.decode(OrderQuote.self)
            #expect(quote.subtotal == Money(amount: product.price.amount * 2, currency: product.price.currency))
            #expect(quote.total.amount == quote.subtotal.amount + quote.shipping.amount && quote.shipping.amount > 0)
            #expect(!quote.carrier.isEmpty && quote.lines.map(\.quantity) == [2])
            #expect(
                try await HTTP.get("\(shop.gateway)/api/v1/orders", token: customer).decodeDated(Contracts.Page<OrderRepresentation>.self).total == 0)
            #expect(try await shop.stock(of: product.id) == 4)

            let placed = try await shop.placeOrder(customer, order.items)
            let created = try placed.decodeDated(OrderRepresentation.self)
            #expect(created.total == quote.total && created.shipping == quote.shipping)

            var tooMany = order
            tooMany.items[0].quantity = 5
            let refused = try await HTTP.send(.POST, "\(shop.gateway)/api/v1/orders/quote", token: customer, json: tooMany)
            #expect(refused.status == 422 && refused.problem?.field == "items[0].quantity")
            var badAddress = order
            badAddress.shippingAddress.postalCode = " "
            let unshippable = try await HTTP.send(.POST, "\(shop.gateway)/api/v1/orders/quote", token: customer, json: badAddress)
            #expect(unshippable.status == 400 && unshippable.problem?.field == "shippingAddress.postalCode")
            #expect(try await HTTP.send(.POST, "\(shop.gateway)/api/v1/orders/quote", json: order).status == 401)
        }
    }

    @Test func noOneSeesOrPaysAnotherCustomersOrder() async throws {
        try await PlatformFixture.withPlatform { report in
            let shop = try await Shop.open(report)
            let alice = try await shop.newCustomer("Alice")
            let bob = try await shop.newCustomer("Bob")
            let product = try await shop.newProduct(stock: 5)
            let order = try await shop.order(alice, product.id)
            try await shop.waitFor(.awaitingPayment, alice, order: order.id)
            let gateway = shop.gateway

            #expect(try await HTTP.get("\(gateway)/api/v1/orders/\(order.id)", token: bob).status == 404)
            #expect(try await HTTP.send(.POST, "\(gateway)/api/v1/orders/\(order.id)/cancel", token: bob).status == 404)
            let bobPays = try await shop.pay(bob, order.id)
            #expect(bobPays.status == 404 && bobPays.problem?.field == "orderId")
            #expect(try await HTTP.get("\(gateway)/api/v1/orders", token: bob).decodeDated(Contracts.Page<OrderRepresentation>.self).total == 0)

            let paid = try await shop.pay(alice, order.id)
            let payment = try paid.decodeDated(PaymentRepresentation.self)
            #expect(try await HTTP.get("\(gateway)/api/v1/payments/\(payment.id)", token: bob).status == 404)
            #expect(try await HTTP.get("\(gateway)/api/v1/payments/\(payment.id)", token: alice).status == 200)
            #expect(try await shop.payments(bob).isEmpty)
            // Even the admin gets a 404 for someone else's order: orders are their owner's.
            #expect(try await HTTP.get("\(gateway)/api/v1/orders/\(order.id)", token: shop.admin).status == 404)
            // Straight at the Order Service, without the gateway, the answers are the same.
            let orderService = "http://127.0.0.1:\(try #require(report.ports[.order]))"
            #expect(try await HTTP.get("\(orderService)/api/v1/orders/\(order.id)").status == 401)
            #expect(try await HTTP.get("\(orderService)/api/v1/orders/\(order.id)", token: bob).status == 404)
        }
    }

    @Test func badOrdersAreRefusedNamingTheFieldAndCreateNothing() async throws {
        try await PlatformFixture.withPlatform { report in
            let shop = try await Shop.open(report)
            let customer = try await shop.newCustomer()
            let product = try await shop.newProduct(stock: 5)
            func line(_ quantity: Int, _ id: UUID? = nil) -> [OrderItemRequest] {
                [OrderItemRequest(productId: id ?? product.id, quantity: quantity)]
            }
            var badAddress = Shop.address
            badAddress.country = "Germany"
            var noStreet = Shop.address
            noStreet.line1 = "  "
            // Dotless ı upper-cases to I: only A–Z as sent make a country code.
            var notLatin = Shop.address
            notLatin.country = "ıd"
            var control = Shop.address
            control.city = "Ber\u{7}lin"
            let cases: [(String, [OrderItemRequest], PostalAddress, Int, String)] = [
                ("zero quantity", line(0), Shop.address, 400, "items[0].quantity"),
                ("negative quantity", line(-3), Shop.address, 400, "items[0].quantity"),
                ("huge quantity", line(1_000_000), Shop.address, 400, "items[0].quantity"),
                ("more than in stock", line(6), Shop.address, 422, "items[0].quantity"),
                ("unknown product", line(1, UUID()), Shop.address, 422, "items[0].productId"),
                ("no items", [], Shop.address, 400, "items"),
                // Lines that differ only in quantity are schema-valid, so naming a product twice is a business rule's 422.
                ("the same product twice", line(1) + line(2), Shop.address, 422, "items[1].productId"),
                ("a country that is not a code", line(1), badAddress, 400, "shippingAddress.country"),
                ("an empty street", line(1), noStreet, 400, "shippingAddress.line1"),
                ("a country code that is not A–Z", line(1), notLatin, 400, "shippingAddress.country"),
                ("a control character", line(1), control, 400, "shippingAddress.city"),
            ]
            for (name, items, address, status, field) in cases {
                let response = try await shop.placeOrder(customer, items, address: address)
                #expect(response.status == status, "\(name)")
                #expect(response.problem?.field == field, "\(name): \(String(decoding: response.body, as: UTF8.self))")
            }
            let wrongCurrency = try await HTTP.send(
                .POST,
                "\(shop.gateway)/api/v1/orders",
                token: customer,
                json: NewOrder(items: line(1), shippingAddress: Shop.address, currency: "USD"),
                headers: [("Idempotency-Key", UUID().uuidString)]
            )
            #expect(wrongCurrency.status == 422 && wrongCurrency.problem?.field == "currency")
            let malformed = try await HTTP.send(
                .POST,
                "\(shop.gateway)/api/v1/orders",
                token: customer,
                json: ["items": "none"],
                headers: [("Idempotency-Key", UUID().uuidString)]
            )
            #expect(malformed.status == 400 && malformed.problem?.field == "items")

            #expect(
                try await HTTP.get("\(shop.gateway)/api/v1/orders", token: customer).decodeDated(Contracts.Page<OrderRepresentation>.self).total == 0)
            #expect(try await shop.stock(of: product.id) == 5)

            let order = try await shop.order(customer, product.id)
            let badMethod = try await shop.pay(customer, order.id, method: "pm card; drop")
            #expect(badMethod.status == 400 && badMethod.problem?.field == "paymentMethod")
            let unknownMethod = try await shop.pay(customer, order.id, method: "pm_card_unknown")
            #expect([409, 422].contains(unknownMethod.status), "pending orders are not payable yet; an unknown method is refused")
            try await shop.waitFor(.awaitingPayment, customer, order: order.id)
            // Well-formed, but the payment gateway knows no such method: 422, as schemathesis expects of valid data.
            let refused = try await shop.pay(customer, order.id, method: "pm_card_unknown")
            #expect(refused.status == 422 && refused.problem?.field == "paymentMethod")
            #expect(refused.problem?.type == "urn:emporium:problem:payment-method-refused")
            #expect(try await shop.payments(customer).isEmpty)
        }
    }
}

extension Optional {
    func unwrap(sourceLocation: SourceLocation = #_sourceLocation) throws -> Wrapped {
        try #require(self, sourceLocation: sourceLocation)
    }
}
