public import Foundation

extension CloudEvent {
    /// The event's JSON, byte for byte as `EventCoding.encoder()` writes it (the golden files of
    /// the contract tests pin both): the envelope is written here and only `data` goes through
    /// `encoder`.
    ///
    /// An optimisation (ADR 22), pinned by the golden files, that `JSONEncoder` may replace: every
    /// event a service publishes is encoded once, and with the encoder the envelope's nine members
    /// cost more than a typical payload.
    /// - Parameter encoder: `EventCoding.encoder()`, made once for many events.
    public func encodedJSON(payloadEncoder encoder: JSONEncoder) throws -> [UInt8] {
        // Times this platform never writes (before 1970, after 9999) are the encoder's to format.
        guard (0..<253_402_300_800).contains(time.timeIntervalSince1970) else { return Array(try encoder.encode(self)) }
        var json: [UInt8] = []
        json.reserveCapacity(512)
        // The members in the encoder's sorted order; `traceparent` is left out when absent.
        json.append(contentsOf: #"{"data":"#.utf8)
        json.append(contentsOf: try encoder.encode(data))
        json.append(contentsOf: #","datacontenttype":"#.utf8)
        JSONText.appendString(datacontenttype, to: &json)
        json.append(contentsOf: #","id":"#.utf8)
        JSONText.appendString(id, to: &json)
        json.append(contentsOf: #","source":"#.utf8)
        JSONText.appendString(source, to: &json)
        json.append(contentsOf: #","specversion":"#.utf8)
        JSONText.appendString(specversion, to: &json)
        json.append(contentsOf: #","subject":"#.utf8)
        JSONText.appendString(subject, to: &json)
        json.append(contentsOf: #","time":""#.utf8)
        JSONText.appendUTCSeconds(time, to: &json)
        json.append(UInt8(ascii: "\""))
        if let traceparent {
            json.append(contentsOf: #","traceparent":"#.utf8)
            JSONText.appendString(traceparent, to: &json)
        }
        json.append(contentsOf: #","type":"#.utf8)
        JSONText.appendString(type, to: &json)
        json.append(UInt8(ascii: "}"))
        return json
    }
}

/// JSON text as `JSONEncoder` writes it with `.withoutEscapingSlashes` and `.iso8601` dates.
enum JSONText {
    /// `text` as a JSON string: quotes, backslashes and control characters escaped, the rest as is.
    static func appendString(_ text: String, to json: inout [UInt8]) {
        json.append(UInt8(ascii: "\""))
        // Most attributes need no escape at all: one copy instead of a byte at a time.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            json.append(contentsOf: text.utf8)
            json.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): json.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): json.append(contentsOf: #"\\"#.utf8)
            case 0x08: json.append(contentsOf: #"\b"#.utf8)
            case 0x0C: json.append(contentsOf: #"\f"#.utf8)
            case 0x0A: json.append(contentsOf: #"\n"#.utf8)
            case 0x0D: json.append(contentsOf: #"\r"#.utf8)
            case 0x09: json.append(contentsOf: #"\t"#.utf8)
            case 0x00..<0x20:
                json.append(contentsOf: #"\u00"#.utf8)
                json.append(hexDigits[Int(byte >> 4)])
                json.append(hexDigits[Int(byte & 0x0F)])
            default: json.append(byte)
            }
        }
        json.append(UInt8(ascii: "\""))
    }

    /// `date` as `YYYY-MM-DDTHH:MM:SSZ`, its fraction of a second dropped.
    static func appendUTCSeconds(_ date: Date, to json: inout [UInt8]) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(daysSince1970: days)
        appendDigits(year, count: 4, to: &json)
        json.append(UInt8(ascii: "-"))
        appendDigits(month, count: 2, to: &json)
        json.append(UInt8(ascii: "-"))
        appendDigits(day, count: 2, to: &json)
        json.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3_600, count: 2, to: &json)
        json.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, count: 2, to: &json)
        json.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, count: 2, to: &json)
        json.append(UInt8(ascii: "Z"))
    }

    private static func appendDigits(_ value: Int, count: Int, to json: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<count { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            json.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (H. Hinnant's `civil_from_days`).
    private static func civil(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Lower-case hex digits by value (event ids use them too).
    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
