/// Reads protocol buffers' wire format field by field: just enough to decode the OTLP messages
/// the console receives (``OTLPTraceDecoder``) without generated code (ADR 35).
///
/// Every read checks the bounds, so a truncated or hostile body throws ``Malformed`` rather than
/// reading past its end.
struct ProtobufReader {
    /// A body that is not valid protocol buffers, with where it went wrong.
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    /// How a field's value is encoded.
    enum WireType: UInt64 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case fixed32 = 5
    }

    private let bytes: [UInt8]
    private var index: Int
    private let end: Int

    /// A reader over the whole of `bytes`.
    init(_ bytes: [UInt8]) {
        self.init(bytes, from: 0, to: bytes.count)
    }

    private init(_ bytes: [UInt8], from start: Int, to end: Int) {
        self.bytes = bytes
        self.index = start
        self.end = end
    }

    /// The next field's number and wire type, or nil at the end of the message.
    mutating func nextField() throws -> (number: Int, type: WireType)? {
        guard index < end else { return nil }
        let key = try varint()
        guard let type = WireType(rawValue: key & 7) else {
            throw Malformed(description: "wire type \(key & 7) is not one OTLP uses")
        }
        let number = key >> 3
        guard number > 0, number < 1 << 29 else { throw Malformed(description: "field number \(number) is out of range") }
        return (Int(number), type)
    }

    /// A variable-length integer.
    mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < end else { throw Malformed(description: "a number runs past the end") }
            let byte = bytes[index]
            index += 1
            guard shift < 64 else { throw Malformed(description: "a number is longer than 10 bytes") }
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// Eight little-endian bytes.
    mutating func fixed64() throws -> UInt64 {
        try littleEndian(count: 8)
    }

    /// Four little-endian bytes.
    mutating func fixed32() throws -> UInt32 {
        UInt32(try littleEndian(count: 4))
    }

    /// The bytes of a length-delimited field.
    mutating func bytesField() throws -> ArraySlice<UInt8> {
        let range = try delimited()
        return bytes[range]
    }

    /// A length-delimited field as UTF-8 text (invalid sequences replaced, as a display needs).
    mutating func string() throws -> String {
        String(decoding: try bytesField(), as: UTF8.self)
    }

    /// A reader over an embedded message.
    mutating func message() throws -> ProtobufReader {
        let range = try delimited()
        return ProtobufReader(bytes, from: range.lowerBound, to: range.upperBound)
    }

    /// Passes over a field this decoder does not need.
    mutating func skip(_ type: WireType) throws {
        switch type {
        case .varint: _ = try varint()
        case .fixed64: _ = try fixed64()
        case .fixed32: _ = try fixed32()
        case .lengthDelimited: _ = try delimited()
        }
    }

    private mutating func delimited() throws -> Range<Int> {
        let length = try varint()
        guard length <= UInt64(end - index) else { throw Malformed(description: "a field of \(length) bytes runs past the end") }
        let range = index..<(index + Int(length))
        index = range.upperBound
        return range
    }

    private mutating func littleEndian(count: Int) throws -> UInt64 {
        guard end - index >= count else { throw Malformed(description: "a fixed-size field runs past the end") }
        var value: UInt64 = 0
        for offset in 0..<count { value |= UInt64(bytes[index + offset]) << (8 * UInt64(offset)) }
        index += count
        return value
    }
}
