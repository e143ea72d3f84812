public import Foundation

/// Event ids: UUID version 7 (RFC 9562), lower-case, as `0193a1f2-7c4e-7d2a-9f3b-5e8c1a2b3c4d`.
///
/// The first 48 bits are the Unix time in milliseconds and the next 12 its fraction (RFC 9562's
/// "increased clock precision", method 3), so ids sort by when they were made, to a quarter of a
/// microsecond; the last 62 bits are random, so ids stay unique without coordination.
///
/// Every database indexes event ids (the outbox's uniqueness, each consumer's inbox): a
/// time-ordered id lands at the end of those B-trees, where a random one dirtied a different page
/// of each index per event and so wrote a page per event to the write-ahead log
/// (docs/benchmarks.md).
public enum EventID {
    /// A new id made at `time`.
    public static func make(at time: Date = Date()) -> String {
        var random = SystemRandomNumberGenerator()
        let since1970 = max(0, time.timeIntervalSince1970 * 1000)
        let milliseconds = UInt64(since1970)
        let fraction = min(0x0FFF, UInt64((since1970 - Double(milliseconds)) * 4096))
        let high = (milliseconds << 16) | 0x7000 | fraction
        let low = (random.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return format(high: high, low: low)
    }

    /// `high` and `low` as the 8-4-4-4-12 lower-case hex form.
    static func format(high: UInt64, low: UInt64) -> String {
        String(unsafeUninitializedCapacity: 36) { buffer in
            var index = 0
            func put(_ value: UInt64, nibbles: Int) {
                for shift in stride(from: (nibbles - 1) * 4, through: 0, by: -4) {
                    buffer[index] = JSONText.hexDigits[Int((value >> UInt64(shift)) & 0xF)]
                    index += 1
                }
            }
            func dash() {
                buffer[index] = UInt8(ascii: "-")
                index += 1
            }
            put(high >> 32, nibbles: 8)
            dash()
            put((high >> 16) & 0xFFFF, nibbles: 4)
            dash()
            put(high & 0xFFFF, nibbles: 4)
            dash()
            put(low >> 48, nibbles: 4)
            dash()
            put(low & 0xFFFF_FFFF_FFFF, nibbles: 12)
            return index
        }
    }
}
