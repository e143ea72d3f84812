import EmporiumCore
import Foundation

/// One handle on a consumer group of the ``EmbeddedBroker``; several handles share the group's messages.
struct EmbeddedConsumerGroup: ConsumerGroup {
    let broker: EmbeddedBroker
    let name: String
    let doorbell: Doorbell

    func fetch(max: Int, wait: Duration) async throws -> [Delivery] {
        let deadline = ContinuousClock.now + wait
        while true {
            let deliveries = try await broker.claim(group: name, max: max)
            let now = ContinuousClock.now
            if !deliveries.isEmpty || now >= deadline || Task.isCancelled { return deliveries }
            var sleep = deadline - now
            if let due = await broker.nextRedelivery(group: name) {
                sleep = min(sleep, .milliseconds(Swift.max(1, Int64((due - Date().timeIntervalSince1970) * 1000))))
            }
            await doorbell.wait(upTo: sleep)
        }
    }

    func ack(_ delivery: Delivery) async throws {
        try await broker.settle(try receipt(of: delivery), redeliverAfter: nil)
    }

    func ack(_ deliveries: [Delivery]) async throws {
        guard !deliveries.isEmpty else { return }
        try await broker.acknowledge(try deliveries.map(receipt(of:)).map(\.position), group: name)
    }

    func nak(_ delivery: Delivery, redeliverAfter delay: Duration) async throws {
        try await broker.settle(try receipt(of: delivery), redeliverAfter: delay)
    }

    func lag() async throws -> Int {
        try await broker.lag(group: name)
    }

    private func receipt(of delivery: Delivery) throws -> EmbeddedReceipt {
        guard let receipt = delivery.receipt as? EmbeddedReceipt, receipt.group == name else { throw BrokerStoreError.foreignReceipt }
        return receipt
    }
}
