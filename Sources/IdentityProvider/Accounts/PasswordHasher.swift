import HummingbirdBcrypt
import NIOPosix

/// bcrypt, run on NIO's blocking thread pool: one hash at cost 12 takes a quarter of a second
/// of CPU, which must never stall the cooperative pool that serves requests.
struct PasswordHasher: Sendable {
    /// The cost of new hashes (log2 of the rounds).
    let cost: UInt8

    /// A hash of `password`, salted.
    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`.
    func verify(_ password: String, against hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// A hash of nothing anyone knows, checked when the e-mail is unknown so that an unknown
    /// account costs as long as a known one (at the default cost 12) and timing does not reveal
    /// which e-mails exist.
    static let decoyHash = "$2b$12$ELxUxXg9iKPYfTUD3Hr4hexgyselfqN.E/MAN8zn5teWsLL74BjZW"
}
