/// Compares a secret someone presented with the one expected, in time that does not depend on
/// where they differ, so that a caller cannot find a key byte by byte from response times.
public enum SecretComparison {
    /// Whether `given` equals `expected`.
    public static func equal(_ given: String, _ expected: String) -> Bool {
        let left = Array(given.utf8)
        let right = Array(expected.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
