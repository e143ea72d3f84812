import Foundation
import Testing

@testable import EmailService

/// The bytes of a message as mail clients read them: the Date header and quoted-printable bodies.
@Suite(.timeLimit(.minutes(2))) struct MessageFormatTests {
    @Test func theDateHeaderIsRFC5322InUTC() {
        // 2026-11-26 03:04:05 UTC, a Thursday.
        #expect(EmailMessage.rfc5322Date(Date(timeIntervalSince1970: 1_795_662_245)) == "Thu, 26 Nov 2026 03:04:05 +0000")
        #expect(EmailMessage.rfc5322Date(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
    }

    @Test func quotedPrintableEscapesWhatIsNotPlainASCII() {
        #expect(MIMEEncoding.quotedPrintable("Total = 5 €") == "Total =3D 5 =E2=82=AC")
        // A space or tab ending a line is encoded, one inside it is not.
        #expect(MIMEEncoding.quotedPrintable("a b \nc\t") == "a b=20\r\nc=09")
        // CRLF, CR and LF all become CRLF.
        #expect(MIMEEncoding.quotedPrintable("one\r\ntwo\rthree\nfour\n") == "one\r\ntwo\r\nthree\r\nfour\r\n")
    }

    @Test func quotedPrintableLinesStayWithin76Characters() {
        let text = String(repeating: "é", count: 40) + String(repeating: "x", count: 100)
        let encoded = MIMEEncoding.quotedPrintable(text)
        let lines = encoded.components(separatedBy: "\r\n")
        #expect(lines.count > 2)
        #expect(lines.allSatisfy { $0.count <= 76 })
        // Every line but the last ends with a soft break, and an escape is never split by one.
        #expect(lines.dropLast().allSatisfy { $0.hasSuffix("=") && !$0.dropLast().hasSuffix("=") && !$0.dropLast(2).hasSuffix("=") })
        // Removing the soft breaks and decoding gives the text back.
        let joined = lines.map { $0.hasSuffix("=") ? String($0.dropLast()) : $0 }.joined()
        #expect(Self.decode(joined) == text)
    }

    /// Decodes `=XX` escapes (the test's own decoder, independent of the encoder).
    static func decode(_ encoded: String) -> String {
        var bytes: [UInt8] = []
        var characters = Array(encoded.utf8)[...]
        while let first = characters.popFirst() {
            if first == UInt8(ascii: "="), characters.count >= 2,
                let value = UInt8(String(decoding: characters.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                characters = characters.dropFirst(2)
            } else {
                bytes.append(first)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
