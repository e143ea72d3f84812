import Contracts
import EmporiumCore
import Foundation
import SQLKit
import Testing

@testable import PaymentService

/// The charge's hard paths, against the real payment-gateway simulator: an answer that never came,
/// and money taken for an order cancelled while the charge was in flight.
@Suite(.timeLimit(.minutes(2))) struct ChargeProcessorTests {
    @Test func aStalledChargeIsResumedWithItsKeyAndChargedOnce() async throws {
        try await PaymentFixture.with { fixture in
            let charges = fixture.charges(stalledAfter: .seconds(1))
            // The charge was stored, then its answer was lost (the process died mid-call).
            let started = try await charges.start(order: PaymentFixture.order(), paymentMethod: "pm_card_visa")
            try await fixture.database.database().sql
                .update("payments").set("updated_at", to: SQLBind(Date().timeIntervalSince1970 - 60)).where("id", .equal, SQLBind(started.id)).run()

            #expect(try await charges.resumeStalled() == false)
            let resumed = try #require(try await fixture.payment(started.id))
            #expect(resumed.status == .succeeded && resumed.gateway_reference != nil)
            #expect(try await fixture.published() == [PaymentProcessed.eventType])

            // Sent again (a second instance resuming it too): the gateway answers with the first
            // charge, and the payment and its one event stand.
            let again = try await charges.complete(started)
            #expect(again.gateway_reference == resumed.gateway_reference)
            #expect(try await fixture.published() == [PaymentProcessed.eventType])
        }
    }

    @Test func aChargeThatSucceedsAfterItsOrderWasCancelledIsRefunded() async throws {
        try await PaymentFixture.with { fixture in
            let charges = fixture.charges()
            let order = PaymentFixture.order()
            let started = try await charges.start(order: order, paymentMethod: "pm_card_visa")
            // The cancellation arrives while the charge is in flight: no succeeded payment to refund yet.
            try await fixture.deliver(
                OrderCancelled(orderId: order.id, customerId: order.customerId, reason: .expired, stockReserved: true, lines: []))
            #expect(try await fixture.payment(started.id)?.refund_status == nil)

            let completed = try await charges.complete(started)
            #expect(completed.status == .succeeded && completed.refund_status == .owed)

            let dispatcher = RefundDispatcher(resources: fixture.resources, gateway: fixture.gateway, logger: fixture.logger)
            #expect(try await dispatcher.pass() == false)
            let refunded = try #require(try await fixture.payment(started.id))
            #expect(refunded.status == .refunded && refunded.refund_status == .refunded && refunded.refund_id != nil)
            #expect(try await fixture.published() == [PaymentProcessed.eventType, PaymentRefunded.eventType])
            // A second pass finds nothing owed: the money goes back once.
            #expect(try await dispatcher.pass() == false)
            #expect(try await fixture.published() == [PaymentProcessed.eventType, PaymentRefunded.eventType])
        }
    }

    @Test func aDeclinedChargeIsFailedAndTheOrderMayBePaidAgain() async throws {
        try await PaymentFixture.with { fixture in
            let charges = fixture.charges()
            let order = PaymentFixture.order()
            let declined = try await charges.complete(try await charges.start(order: order, paymentMethod: "pm_card_chargeDeclined"))
            #expect(declined.status == .failed && declined.failure_reason != nil)
            let second = try await charges.complete(try await charges.start(order: order, paymentMethod: "pm_card_visa"))
            #expect(second.status == .succeeded && second.attempt == 2)
            // With one succeeded, a third is refused by the database itself.
            await #expect(throws: Problem.self) { try await charges.start(order: order, paymentMethod: "pm_card_visa") }
        }
    }
}
