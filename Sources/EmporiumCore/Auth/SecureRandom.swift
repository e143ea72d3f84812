/// Random bytes from the system's cryptographic source (`SystemRandomNumberGenerator`, which
/// reads `getrandom` on Linux), for secrets, tokens and ids.
public enum SecureRandom {
    /// `count` random bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        // Eight bytes per draw: each draw is a `getrandom` system call on Linux, and drawing byte by
        // byte made minting a trace id (24 bytes per event and request) a measurable share of the
        // events benchmark's CPU.
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 7)
        while bytes.count < count {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    /// An unguessable token: `bytes` random bytes (256 bits by default) as unpadded base64url.
    public static func token(bytes: Int = 32) -> String {
        Base64URL.encode(Self.bytes(bytes))
    }
}

extension Sequence<UInt8> {
    /// The bytes as lower-case hexadecimal, two digits each.
    public var hexEncoded: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
