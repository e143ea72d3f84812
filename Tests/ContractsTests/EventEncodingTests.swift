import Foundation
import Testing

@testable import Contracts

/// The outbox writes each envelope itself (`CloudEvent.encodedJSON`): its bytes must be exactly
/// `EventCoding.encoder()`'s, whatever the strings and times, or consumers and golden files would
/// see two encodings of one event.
@Suite(.timeLimit(.minutes(2))) struct EventEncodingTests {
    static func shipped(trackingNumber: String) -> OrderShipped {
        OrderShipped(
            orderId: UUID(uuidString: "0F7C2D0A-3B4E-4C5D-8E9F-0A1B2C3D4E5F")!, customerId: "c", carrier: "Emporium Post",
            trackingNumber: trackingNumber)
    }

    func expectSameBytes(_ event: CloudEvent<OrderShipped>, _ comment: Comment? = nil) throws {
        let encoder = EventCoding.encoder()
        #expect(try event.encodedJSON(payloadEncoder: encoder) == Array(try encoder.encode(event)), comment)
    }

    @Test func everyASCIICharacterAndSomeUnicodeIsEscapedAsTheEncoderEscapesIt() throws {
        var texts = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        texts += ["é", "→", "✓", "😀", "\u{2028}", "\u{FEFF}", "a/b\\c\"d", "line\nbreak\ttab"]
        for text in texts {
            var event = CloudEvent(
                Self.shipped(trackingNumber: "EP1"), id: "evt-\(text)", time: Date(timeIntervalSince1970: 1_767_323_045), traceparent: text)
            event.source = "/emporium/\(text)"
            try expectSameBytes(event, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func timesAreWrittenAsTheEncoderWritesThemToTheSecond() throws {
        var generator = SystemRandomNumberGenerator()
        var instants: [Double] = [0, 0.999, 59.5, 951_782_400, 951_868_799.75, 1_767_323_045.5, 4_102_444_799.999, 253_402_300_799]
        instants += (0..<500).map { _ in Double.random(in: 0..<4_102_444_800, using: &generator) }
        for instant in instants {
            let event = CloudEvent(Self.shipped(trackingNumber: "EP1"), id: "e", time: Date(timeIntervalSince1970: instant), traceparent: nil)
            try expectSameBytes(event, "\(instant)")
        }
    }

    @Test func anEnvelopeWithoutTraceparentLeavesTheMemberOut() throws {
        let event = CloudEvent(Self.shipped(trackingNumber: "EP1"), id: "e", time: Date(timeIntervalSince1970: 1_767_323_045), traceparent: nil)
        let json = String(decoding: try event.encodedJSON(payloadEncoder: EventCoding.encoder()), as: UTF8.self)
        #expect(!json.contains("traceparent"))
        try expectSameBytes(event)
    }
}
