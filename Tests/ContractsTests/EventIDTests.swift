import Contracts
import Foundation
import Testing

/// Event ids are RFC 9562 version-7 UUIDs: unique, and ordered by the time they were made.
@Suite(.timeLimit(.minutes(2))) struct EventIDTests {
    @Test func anEventIDIsALowerCaseVersionSevenUUIDCarryingItsMillisecond() throws {
        let time = Date(timeIntervalSince1970: 1_764_000_000.123)
        let id = EventID.make(at: time)
        #expect(id.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil)
        let uuid = try #require(UUID(uuidString: id))
        #expect(uuid.uuidString.lowercased() == id)
        let millisecondHex = id.replacingOccurrences(of: "-", with: "").prefix(12)
        #expect(UInt64(millisecondHex, radix: 16) == 1_764_000_000_123)
    }

    @Test func idsSortByTheTimeTheyWereMadeAndNeverRepeat() {
        // 10,000 ids 10 µs apart (100 per millisecond), plus 1,000 made at one instant.
        let start = 1_764_000_000_000.0
        let spread = (0..<10_000).map { EventID.make(at: Date(timeIntervalSince1970: (start + Double($0) / 100) / 1000)) }
        let sameInstant = (0..<1_000).map { _ in EventID.make(at: Date(timeIntervalSince1970: start / 1000)) }
        let outOfOrder = zip(spread, spread.dropFirst()).filter { $0 >= $1 }
        #expect(outOfOrder.isEmpty, "\(outOfOrder.prefix(3))")
        #expect(Set(spread + sameInstant).count == spread.count + sameInstant.count)
    }

    @Test func aNewEnvelopeGetsAnIDOfItsOwnTime() {
        let time = Date(timeIntervalSince1970: 1_764_000_000.5)
        let event = CloudEvent(OrderShipped(orderId: UUID(), customerId: "c", carrier: "Emporium Post", trackingNumber: "EP1"), time: time)
        #expect(event.id.replacingOccurrences(of: "-", with: "").prefix(12) == String(1_764_000_000_500, radix: 16).leftPadded(to: 12))
    }
}

private extension String {
    func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}
