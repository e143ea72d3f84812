/// A W3C Trace Context `traceparent` value: which trace a request belongs to and which span called.
///
/// Parsing and formatting follow https://www.w3.org/TR/trace-context/ (version 00). A span id is
/// minted for each hop, so that a downstream `traceparent` names the caller's span as its parent.
public struct TraceParent: Sendable, Hashable, CustomStringConvertible {
    /// 32 lowercase hex digits, never all zero.
    public let traceID: String
    /// 16 lowercase hex digits naming the span, never all zero.
    public let spanID: String
    /// The trace flags; bit 0 is "sampled".
    public let flags: UInt8

    /// Parses a header value, returning nil for anything the specification says to ignore.
    public init?(header: String) {
        if let common = Self.version00(header) {
            self = common
            return
        }
        let parts = header.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].utf8.count == 2, parts[0] != "ff",
            Self.isHex(parts[0]), Self.isHex(parts[1], length: 32), Self.isHex(parts[2], length: 16),
            Self.isHex(parts[3], length: 2), let flags = UInt8(parts[3], radix: 16),
            parts[0] != "00" || parts.count == 4
        else { return nil }
        let traceID = String(parts[1])
        let spanID = String(parts[2])
        guard traceID != Self.zeroTraceID, spanID != Self.zeroSpanID else { return nil }
        self.init(traceID: traceID, spanID: spanID, flags: flags)
    }

    /// The common case, read in one pass over the bytes: version 00, exactly 55 characters. Every
    /// span a recording backend starts is read back this way (ADR 33), so the general parse's
    /// splitting showed in the checkout's profile.
    private static func version00(_ header: String) -> TraceParent? {
        var header = header
        return header.withUTF8 { bytes -> TraceParent? in
            guard bytes.count == 55, bytes[0] == 48, bytes[1] == 48, bytes[2] == 45, bytes[35] == 45, bytes[52] == 45 else { return nil }
            var traceIsZero = true
            var spanIsZero = true
            for index in 3..<55 where index != 35 && index != 52 {
                let byte = bytes[index]
                guard (48...57).contains(byte) || (97...102).contains(byte) else { return nil }
                if byte != 48 {
                    if index < 35 { traceIsZero = false } else if index < 52 { spanIsZero = false }
                }
            }
            guard !traceIsZero, !spanIsZero else { return nil }
            let text = UnsafeBufferPointer(rebasing: bytes[3..<35])
            let span = UnsafeBufferPointer(rebasing: bytes[36..<52])
            let flags = UInt8(hexDigit: bytes[53]) << 4 | UInt8(hexDigit: bytes[54])
            return TraceParent(traceID: String(decoding: text, as: UTF8.self), spanID: String(decoding: span, as: UTF8.self), flags: flags)
        }
    }

    /// Creates a value from its parts (already validated).
    public init(traceID: String, spanID: String, flags: UInt8) {
        self.traceID = traceID
        self.spanID = spanID
        self.flags = flags
    }

    /// Starts a new trace with a fresh, sampled root span.
    public static func root() -> TraceParent {
        TraceParent(traceID: randomHex(bytes: 16), spanID: randomHex(bytes: 8), flags: 1)
    }

    /// A span in the same trace whose parent is this one.
    public func child() -> TraceParent {
        TraceParent(traceID: traceID, spanID: Self.randomHex(bytes: 8), flags: flags)
    }

    /// The header value.
    public var description: String {
        let hexFlags = String(flags, radix: 16)
        return "00-\(traceID)-\(spanID)-\(hexFlags.count == 1 ? "0" + hexFlags : hexFlags)"
    }

    /// The all-zero ids the specification declares invalid (made once: every consumed event and
    /// traced request parses a header).
    private static let zeroTraceID = String(repeating: "0", count: 32)
    private static let zeroSpanID = String(repeating: "0", count: 16)

    private static func isHex(_ text: Substring, length: Int? = nil) -> Bool {
        // Bytes, not characters: counting characters breaks graphemes, and only ASCII hex passes anyway.
        if let length, text.utf8.count != length { return false }
        return text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    static func randomHex(bytes count: Int) -> String {
        var bytes = SecureRandom.bytes(count)
        // An all-zero id is invalid; with 64 or more random bits this is a formality.
        while count > 0, bytes.allSatisfy({ $0 == 0 }) { bytes = SecureRandom.bytes(count) }
        return bytes.hexEncoded
    }
}

extension UInt8 {
    /// The value of one lowercase hex digit (already checked to be one).
    fileprivate init(hexDigit byte: UInt8) {
        self = byte <= 57 ? byte - 48 : byte - 87
    }
}
