import Foundation
import Testing

@testable import Contracts

/// A consumer reads each event's envelope with `CloudEventHeader(json:)`: its own one-pass reader
/// for the common form, `JSONDecoder` for the rest. Either way the answer is the decoder's.
@Suite(.timeLimit(.minutes(2))) struct CloudEventHeaderReadingTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    @Test func everyGoldenEventIsReadInOnePassAndAsTheDecoderReadsIt() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.golden, includingPropertiesForKeys: nil).filter {
            $0.pathExtension == "json"
        }
        #expect(files.count >= 9)
        for file in files {
            let json = Array(try Data(contentsOf: file))
            let decoded = try EventCoding.decoder().decode(CloudEventHeader.self, from: Data(json))
            #expect(CloudEventHeaderReader.read(json) == decoded, "\(file.lastPathComponent) fell back to the decoder")
            #expect(try CloudEventHeader(json: json) == decoded)
        }
    }

    @Test(arguments: [
        // Spacing, member order, missing and null optional attributes, extensions of every JSON kind.
        #" { "type" : "t.v1", "id":"e1" ,"source":"/s","specversion":"1.0" } "#,
        #"{"specversion":"1.0","id":"e1","source":"/s","type":"t.v1","subject":null,"traceparent":null,"time":null}"#,
        #"{"data":{"a":[1,-2.5e+3,0.0,true,false,null,{"b":"}\"],[{"}],"c":"\u00e9\n\\"},"ext":[],"e2":{},"id":"e1","source":"/s","specversion":"1.0","type":"t.v1"}"#,
        #"{"id":"e1","source":"/s","specversion":"1.0","type":"t.v1","subject":"orders/é→✓","time":"2024-02-29T23:59:59Z"}"#,
        // Forms left to the decoder: escaped attributes, other time forms, repeated attributes.
        #"{"id":"e\u0031","source":"\/s","specversion":"1.0","type":"t.v1"}"#,
        #"{"id":"e1","source":"/s","specversion":"1.0","type":"t.v1","time":"2026-01-02T05:04:05+02:00"}"#,
        #"{"id":"e1","id":"e2","source":"/s","specversion":"1.0","type":"t.v1"}"#,
        // Not CloudEvents, or not JSON: both refuse.
        #"{"id":"e1","source":"/s","specversion":"1.0"}"#,
        #"{"id":null,"source":"/s","specversion":"1.0","type":"t.v1"}"#,
        #"{"id":"e1","source":"/s","specversion":"1.0","type":"t.v1","data":01}"#,
        #"{"id":"e1","source":"/s","specversion":"1.0","type":"t.v1","data":"\x"}"#,
        #"{"id":"e1","source":"/s","specversion":"1.0","type":"t.v1","data":[1,]}"#,
        #"{"id":"e1","source":"/s","specversion":"1.0","type":"t.v1","time":"2026-02-30T00:00:00Z"}"#,
        #"{"id":"e1","source":"/s","specversion":"1.0","type":"t.v1"} x"#,
        #"{"id":"e1","source":"/s","specversion":"1.0","type":"t.v1""#,
        #"[{"id":"e1","source":"/s","specversion":"1.0","type":"t.v1"}]"#,
        "",
    ])
    func anEnvelopeReadsAsTheDecoderReadsIt(_ text: String) {
        let json = Array(text.utf8)
        let expected = Result { try EventCoding.decoder().decode(CloudEventHeader.self, from: Data(json)) }
        let actual = Result { try CloudEventHeader(json: json) }
        switch (expected, actual) {
        case (.success(let expected), .success(let actual)): #expect(actual == expected)
        case (.failure, .failure): break
        default: Issue.record("decoder: \(expected), reader: \(actual)")
        }
    }

    @Test func aRawControlCharacterOrInvalidUTF8InTheDataIsLeftToTheDecoder() {
        let envelope = Array(#"{"id":"e1","source":"/s","specversion":"1.0","type":"t.v1","data":"#.utf8)
        for bad: [UInt8] in [[0x22, 0x09, 0x22], [0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22]] {
            let json = envelope + bad + [UInt8(ascii: "}")]
            #expect(CloudEventHeaderReader.read(json) == nil)
            // The decoder skips unknown members leniently; whatever it answers is the answer.
            let expected = try? EventCoding.decoder().decode(CloudEventHeader.self, from: Data(json))
            #expect((try? CloudEventHeader(json: json)) == expected)
        }
    }

    @Test func theTimeFormEventCodingWritesIsReadToTheSecond() {
        for seconds in [0, 951_782_400, 1_767_323_045, 4_102_444_799] {
            let date = Date(timeIntervalSince1970: Double(seconds))
            let text = String(decoding: try! EventCoding.encoder().encode([date]), as: UTF8.self).dropFirst(2).dropLast(2)
            #expect(CloudEventHeaderReader.utcSeconds(String(text)) == date, "\(text)")
        }
    }
}
