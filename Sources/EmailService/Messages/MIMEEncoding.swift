import Foundation

/// The encodings that keep an email's bytes ASCII with lines under 78 characters.
enum MIMEEncoding {
    /// A header value: as it is when it is short printable ASCII, else RFC 2047 encoded words
    /// (`=?UTF-8?B?…?=`), each short enough that a folded header line stays under 78 characters.
    /// A display name with specials is quoted.
    static func headerWord(_ value: String, quoting: Bool) -> String {
        let printable = value.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 32 && $0.value < 127 }
        guard printable, value.count <= 60 else { return encodedWords(value) }
        guard quoting, value.contains(where: { "()<>[]:;@\\,.\"".contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Base64 encoded words of at most 36 bytes of UTF-8 each (never splitting a character),
    /// folded onto continuation lines.
    private static func encodedWords(_ value: String) -> String {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in value {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 36, !chunk.isEmpty {
                words.append(chunk.base64Word)
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(chunk.base64Word) }
        return words.joined(separator: "\r\n ")
    }

    /// RFC 2045 quoted-printable of UTF-8 text, with CRLF line breaks and soft breaks (`=`) that
    /// keep each line at most 76 characters.
    static func quotedPrintable(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        var line: [UInt8] = []
        var pendingCR = false
        for byte in text.utf8 {
            // CRLF, a lone CR and a lone LF all end a line.
            if byte == 10, pendingCR {
                pendingCR = false
                continue
            }
            pendingCR = byte == 13
            if byte == 10 || byte == 13 {
                encodeLine(line, into: &output)
                output += [13, 10]
                line.removeAll(keepingCapacity: true)
            } else {
                line.append(byte)
            }
        }
        encodeLine(line, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func encodeLine(_ bytes: [UInt8], into output: inout [UInt8]) {
        var width = 0
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            // Printable ASCII except '=' as it is; spaces and tabs too unless they end the line.
            let literal = (byte >= 33 && byte <= 126 && byte != 61) || ((byte == 32 || byte == 9) && !isLast)
            let pieceWidth = literal ? 1 : 3
            if width + pieceWidth > 75 {
                output += [61, 13, 10]  // "=" CRLF: a soft break
                width = 0
            }
            if literal {
                output.append(byte)
            } else {
                output += [61, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
            width += pieceWidth
        }
    }
}

extension [UInt8] {
    fileprivate var base64Word: String { "=?UTF-8?B?\(Data(self).base64EncodedString())?=" }
}
