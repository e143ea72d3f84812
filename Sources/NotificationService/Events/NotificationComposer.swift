import Contracts
import EmporiumCore
import Foundation

/// What a notification says about an event: who it is for, its kind and the values its templates
/// get (money already formatted). The recipient's name is added by the handler.
struct Notice: Sendable {
    var userID: String
    var kind: NotificationKind
    var values: [String: any Sendable]
}

/// Turns each event the service consumes into the ``Notice`` a customer should get.
enum NotificationComposer {
    static let eventTypes = [
        UserRegistered.eventType, OrderCreated.eventType, PaymentProcessed.eventType,
        OrderShipped.eventType, OrderCancelled.eventType, PaymentRefunded.eventType,
    ]

    static func notice(for event: ReceivedEvent) throws -> Notice {
        switch event.header.type {
        case UserRegistered.eventType:
            let user = try event.decode(UserRegistered.self).data
            return Notice(userID: user.userId, kind: .welcome, values: ["email": user.email])
        case OrderCreated.eventType:
            let order = try event.decode(OrderCreated.self).data
            let lines: [[String: any Sendable]] = order.lines.map { line in
                [
                    "quantity": line.quantity,
                    "productName": line.name,
                    "lineTotal": MoneyFormat.string(Money(amount: line.unitPrice.amount * line.quantity, currency: line.unitPrice.currency)),
                ]
            }
            return Notice(
                userID: order.customerId,
                kind: .orderReceived,
                values: orderValues(order.orderId).merging([
                    "lines": lines, "shipping": MoneyFormat.string(order.shipping), "total": MoneyFormat.string(order.total),
                ]) { $1 }
            )
        case PaymentProcessed.eventType:
            let payment = try event.decode(PaymentProcessed.self).data
            var values = orderValues(payment.orderId)
            values["amount"] = MoneyFormat.string(payment.amount)
            values["paymentId"] = payment.paymentId.uuidString
            switch payment.outcome {
            case .succeeded:
                return Notice(userID: payment.customerId, kind: .paymentReceipt, values: values)
            case .failed:
                values["reason"] = (payment.failureReason ?? "declined").replacingOccurrences(of: "_", with: " ")
                return Notice(userID: payment.customerId, kind: .paymentDeclined, values: values)
            }
        case OrderShipped.eventType:
            let shipped = try event.decode(OrderShipped.self).data
            return Notice(
                userID: shipped.customerId,
                kind: .orderShipped,
                values: orderValues(shipped.orderId).merging(["carrier": shipped.carrier, "trackingNumber": shipped.trackingNumber]) { $1 }
            )
        case OrderCancelled.eventType:
            let cancelled = try event.decode(OrderCancelled.self).data
            let reason =
                switch cancelled.reason {
                case .customerRequest: "you asked us to cancel it"
                case .expired: "it was not paid in time"
                case .stockRejected: "some of its items are out of stock"
                }
            return Notice(
                userID: cancelled.customerId, kind: .orderCancelled, values: orderValues(cancelled.orderId).merging(["reason": reason]) { $1 })
        case PaymentRefunded.eventType:
            let refund = try event.decode(PaymentRefunded.self).data
            return Notice(
                userID: refund.customerId,
                kind: .paymentRefunded,
                values: orderValues(refund.orderId).merging(["amount": MoneyFormat.string(refund.amount), "refundId": refund.refundId]) { $1 }
            )
        default:
            throw UnexpectedNotificationEvent(type: event.header.type)
        }
    }

    /// The order's full id, and the short reference subjects show (its first eight characters).
    private static func orderValues(_ id: UUID) -> [String: any Sendable] {
        ["orderId": id.uuidString, "orderReference": String(id.uuidString.prefix(8))]
    }
}

struct UnexpectedNotificationEvent: Error, CustomStringConvertible {
    let type: String
    var description: String { "the Notification Service does not handle \(type)" }
}
