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
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return normalized.split(separator: "\n", omittingEmptySubsequences: false).map { encodeLine(Array($0.utf8)) }.joined(separator: "\r\n")
    }

    private static func encodeLine(_ bytes: [UInt8]) -> String {
        var output: [String] = []
        var line = ""
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            // Printable ASCII except '=' as it is; spaces and tabs too unless they end the line.
            let literal = (byte >= 33 && byte <= 126 && byte != 61) || ((byte == 32 || byte == 9) && !isLast)
            let piece = literal ? String(UnicodeScalar(byte)) : String(format: "=%02X", byte)
            if line.count + piece.count > 75 {
                output.append(line + "=")
                line = ""
            }
            line += piece
        }
        output.append(line)
        return output.joined(separator: "\r\n")
    }
}

extension [UInt8] {
    fileprivate var base64Word: String { "=?UTF-8?B?\(Data(self).base64EncodedString())?=" }
}
