import Foundation
import Synchronization

/// The access tokens a verifier has checked completely, each with its principal, until it
/// expires: a token presented again (every request of a session, at the gateway and again at the
/// service) skips the signature check and the claims' decoding.
///
/// Only ``AccessTokenVerifier/verify(_:)`` adds to it, after every check has passed, so a token
/// that failed is never found here. Entries are keyed by the whole token, byte for byte. The
/// cache is bounded: when full, the expired entries go, and if none has expired, all of them.
final class VerifiedTokenCache: Sendable {
    /// What a verified token stood for, and when that stops being true.
    struct Entry: Sendable {
        var principal: Principal
        var expires: Date
        var notBefore: Date
    }

    /// The most tokens kept.
    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    /// Creates an empty cache of at most `capacity` tokens.
    init(capacity: Int) { self.capacity = capacity }

    /// The principal `token` was verified to be, if it was and still is valid at `now`, with
    /// `leeway` seconds for clocks that differ.
    func principal(for token: String, at now: Date, leeway: TimeInterval) -> Principal? {
        entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard Self.isValid(entry, at: now, leeway: leeway) else {
                entries[token] = nil
                return nil
            }
            return entry.principal
        }
    }

    /// Keeps `entry` for `token`, which has just been verified.
    func remember(_ token: String, _ entry: Entry, at now: Date, leeway: TimeInterval) {
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { Self.isValid($0.value, at: now, leeway: leeway) }
                // A flood of distinct valid tokens: starting again costs one verification each.
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[token] = entry
        }
    }

    /// How many tokens it holds.
    var count: Int { entries.withLock { $0.count } }

    private static func isValid(_ entry: Entry, at now: Date, leeway: TimeInterval) -> Bool {
        now.timeIntervalSince(entry.expires) < leeway && entry.notBefore.timeIntervalSince(now) <= leeway
    }
}
