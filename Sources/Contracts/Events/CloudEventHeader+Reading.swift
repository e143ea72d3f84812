import Foundation

extension CloudEventHeader {
    /// Reads the envelope attributes of a structured-mode CloudEvent.
    ///
    /// An optimisation (ADR 22), pinned by `CloudEventHeaderReadingTests` and the golden files, that
    /// `JSONDecoder` may replace: a consumer reads the header of every event it receives, and the
    /// decoder builds a map of the whole document, `data` included. This reads the top-level
    /// members in one pass and only validates `data`. Anything outside the common
    /// form — an escaped attribute string, a `time` other than `YYYY-MM-DDTHH:MM:SSZ`, a repeated
    /// attribute — goes to `JSONDecoder`, so the result, and every error, is the decoder's.
    public init(json: [UInt8]) throws {
        if let header = CloudEventHeaderReader.read(json) {
            self = header
        } else {
            self = try EventCoding.decoder().decode(CloudEventHeader.self, from: Data(json))
        }
    }
}

/// One pass over a JSON object's members: the header's attributes are kept, everything else is
/// validated and skipped.
struct CloudEventHeaderReader {
    /// The header of `json`, or nil for anything outside the form this reader handles itself.
    static func read(_ json: [UInt8]) -> CloudEventHeader? {
        json.withUnsafeBufferPointer { bytes in
            var reader = CloudEventHeaderReader(bytes: bytes)
            return reader.read()
        }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private mutating func read() -> CloudEventHeader? {
        var specversion: String?
        var id: String?
        var source: String?
        var type: String?
        var subject: String??
        var time: Date??
        var traceparent: String??
        skipWhitespace()
        guard take(UInt8(ascii: "{")) else { return nil }
        skipWhitespace()
        if !take(UInt8(ascii: "}")) {
            repeat {
                skipWhitespace()
                guard let key = plainString() else { return nil }
                skipWhitespace()
                guard take(UInt8(ascii: ":")) else { return nil }
                skipWhitespace()
                switch key {
                case "specversion":
                    guard specversion == nil, let value = plainString() else { return nil }
                    specversion = value
                case "id":
                    guard id == nil, let value = plainString() else { return nil }
                    id = value
                case "source":
                    guard source == nil, let value = plainString() else { return nil }
                    source = value
                case "type":
                    guard type == nil, let value = plainString() else { return nil }
                    type = value
                case "subject":
                    guard subject == nil, let value = optionalPlainString() else { return nil }
                    subject = value
                case "traceparent":
                    guard traceparent == nil, let value = optionalPlainString() else { return nil }
                    traceparent = value
                case "time":
                    guard time == nil, let value = optionalPlainString() else { return nil }
                    if let text = value {
                        guard let date = Self.utcSeconds(text) else { return nil }
                        time = .some(date)
                    } else {
                        time = .some(nil)
                    }
                default:
                    guard skipValue(depth: 0) else { return nil }
                }
                skipWhitespace()
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")) else { return nil }
        }
        skipWhitespace()
        guard index == bytes.count, let specversion, let id, let source, let type else { return nil }
        return CloudEventHeader(
            specversion: specversion, id: id, source: source, type: type,
            subject: subject ?? nil, time: time ?? nil, traceparent: traceparent ?? nil
        )
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard current == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    /// A string without escapes or control characters; nil otherwise (the decoder reads those).
    private mutating func plainString() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        var ascii = true
        while let byte = current, byte != UInt8(ascii: "\"") {
            guard byte != UInt8(ascii: "\\"), byte >= 0x20 else { return nil }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        guard current != nil else { return nil }
        let text = Self.string(UnsafeBufferPointer(rebasing: bytes[start..<index]), ascii: ascii)
        index += 1
        return text
    }

    /// The text of `utf8`, or nil if it is not valid UTF-8.
    ///
    /// ASCII (attributes nearly always are) needs no check, and `String(decoding:as:)` takes it
    /// directly; `String(validating:as:)`, generic over the encoding, ran unspecialized and looked
    /// up type metadata on every call (ADR 22).
    private static func string(_ utf8: UnsafeBufferPointer<UInt8>, ascii: Bool) -> String? {
        ascii ? String(decoding: utf8, as: UTF8.self) : String(validating: utf8, as: UTF8.self)
    }

    /// `null` as `.some(nil)`, a plain string as `.some(text)`, anything else nil.
    private mutating func optionalPlainString() -> String?? {
        if literal("null") { return .some(nil) }
        return plainString().map { .some($0) }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
        index += count
        return true
    }

    /// Skips one JSON value, checking it against the grammar; false if it is not valid JSON (or
    /// nests deeper than the decoder's readers need).
    private mutating func skipValue(depth: Int) -> Bool {
        guard depth < 64, let byte = current else { return false }
        switch byte {
        case UInt8(ascii: "{"):
            index += 1
            skipWhitespace()
            if take(UInt8(ascii: "}")) { return true }
            repeat {
                skipWhitespace()
                guard skipString() else { return false }
                skipWhitespace()
                guard take(UInt8(ascii: ":")) else { return false }
                skipWhitespace()
                guard skipValue(depth: depth + 1) else { return false }
                skipWhitespace()
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            index += 1
            skipWhitespace()
            if take(UInt8(ascii: "]")) { return true }
            repeat {
                skipWhitespace()
                guard skipValue(depth: depth + 1) else { return false }
                skipWhitespace()
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "]"))
        case UInt8(ascii: "\""):
            return skipString()
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default:
            return skipNumber()
        }
    }

    /// A string, escapes included; false for a raw control character, a bad escape or invalid UTF-8.
    private mutating func skipString() -> Bool {
        guard take(UInt8(ascii: "\"")) else { return false }
        let start = index
        var ascii = true
        while let byte = current, byte != UInt8(ascii: "\"") {
            guard byte >= 0x20 else { return false }
            index += 1
            if byte >= 0x80 {
                ascii = false
            } else if byte == UInt8(ascii: "\\") {
                guard let escaped = current else { return false }
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    continue
                case UInt8(ascii: "u"):
                    // Surrogate pairs are the decoder's to check: an escape outside the common form is rare.
                    guard index + 4 <= bytes.count, bytes[index..<(index + 4)].allSatisfy(\.isHexDigit) else { return false }
                    index += 4
                default:
                    return false
                }
            }
        }
        guard current != nil else { return false }
        // Only text with non-ASCII bytes can be invalid UTF-8, and only then is a String made to check it.
        let valid = ascii || Self.string(UnsafeBufferPointer(rebasing: bytes[start..<index]), ascii: false) != nil
        index += 1
        return valid
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func skipNumber() -> Bool {
        _ = take(UInt8(ascii: "-"))
        guard let first = current, first.isDigit else { return false }
        index += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        if take(UInt8(ascii: ".")) {
            guard current?.isDigit == true else { return false }
            skipDigits()
        }
        if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
            if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
            guard current?.isDigit == true else { return false }
            skipDigits()
        }
        return true
    }

    private mutating func skipDigits() {
        while current?.isDigit == true { index += 1 }
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the form ``EventCoding`` writes, as a date; nil for any other form.
    static func utcSeconds(_ text: String) -> Date? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 20, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"), utf8[10] == UInt8(ascii: "T"),
            utf8[13] == UInt8(ascii: ":"), utf8[16] == UInt8(ascii: ":"), utf8[19] == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in utf8[range] {
                guard byte.isDigit else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }
        let seconds = daysSince1970(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second
        return Date(timeIntervalSince1970: Double(seconds))
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's
    /// `days_from_civil`).
    private static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension UInt8 {
    fileprivate var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
    fileprivate var isHexDigit: Bool {
        isDigit || (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "f")) || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "F"))
    }
}
