import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Random bytes from the system's cryptographic source (the kernel's generator on Linux), for
/// secrets, tokens and ids.
public enum SecureRandom {
    /// `count` random bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        // Drawn from a buffer filled 4 KiB at a time: every consumed event and every request
        // without a `traceparent` mints 24 to 40 bytes of ids, and a system call per draw was a
        // measurable share of the events benchmark's CPU (ADR 22).
        guard count <= EntropyPool.capacity / 4 else { return EntropyPool.fresh(count) }
        return pool.withLock { $0.take(count) }
    }

    private static let pool = Mutex(EntropyPool())

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

/// A buffer of bytes from the system's cryptographic source, handed out once each and wiped as
/// they go, so that nothing handed out stays in memory to be disclosed later.
private struct EntropyPool {
    static let capacity = 4096
    private var buffer = [UInt8](repeating: 0, count: capacity)
    private var used = capacity

    mutating func take(_ count: Int) -> [UInt8] {
        if used + count > buffer.count {
            buffer.withUnsafeMutableBytes { Self.fill($0) }
            used = 0
        }
        defer { used += count }
        return buffer.withUnsafeMutableBytes { bytes in
            let range = used..<(used + count)
            let taken = Array(bytes[range])
            UnsafeMutableRawBufferPointer(rebasing: bytes[range]).initializeMemory(as: UInt8.self, repeating: 0)
            return taken
        }
    }

    /// `count` bytes straight from the system, for a request larger than the pool serves.
    static func fresh(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { fill($0) }
        return bytes
    }

    /// Fills `buffer` from the system's cryptographic source.
    private static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        #if canImport(Glibc)
            // `/dev/urandom` is the kernel's generator behind `getrandom` (which Swift's Glibc module
            // does not declare); after boot it never blocks. One descriptor serves the whole process.
            var filled = 0
            while filled < buffer.count {
                let read = Glibc.read(urandom, buffer.baseAddress! + filled, buffer.count - filled)
                if read > 0 {
                    filled += read
                } else if read == 0 || errno != EINTR {
                    // Nothing secure can be made without it; carrying on would hand out zeros.
                    fatalError("cannot read /dev/urandom: errno \(errno)")
                }
            }
        #else
            arc4random_buf(buffer.baseAddress!, buffer.count)
        #endif
    }

    #if canImport(Glibc)
        private static let urandom = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
    #endif
}
