/// Random bytes from the system's cryptographic source (`SystemRandomNumberGenerator`, which
/// reads `getrandom` on Linux), for secrets, tokens and ids.
public enum SecureRandom {
    /// `count` random bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// An unguessable token: `bytes` random bytes (256 bits by default) as unpadded base64url.
    public static func token(bytes: Int = 32) -> String {
        Base64URL.encode(Self.bytes(bytes))
    }
}

extension Sequence<UInt8> {
    /// The bytes as lower-case hexadecimal, two digits each.
    public var hexEncoded: String {
        map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
