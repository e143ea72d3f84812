import Crypto
import EmporiumCore
import Foundation
import Hummingbird

/// The cookie that names a browser's session: a random 256-bit value, `HttpOnly` and
/// `SameSite=Lax`; behind HTTPS also `Secure` and `__Host-` prefixed, which binds it to the exact
/// host (a `__Host-` cookie must be `Secure`, so a plain-HTTP shop cannot use the prefix).
struct SessionCookie: Sendable {
    /// Whether the shop is reached over HTTPS.
    let secure: Bool

    /// The cookie's name.
    var name: String { secure ? "__Host-emporium-session" : "emporium-session" }

    /// The session id the request carries, if it is well formed.
    func sessionID(in request: Request) -> String? {
        guard let value = request.cookies[name]?.value, Self.isWellFormed(value) else { return nil }
        return value
    }

    /// The `Set-Cookie` for session `id`, lasting `lifetime`.
    func cookie(for id: String, lifetime: Duration) -> Cookie {
        // `validated` cannot fail here: the name is constant and the value base64url.
        (try? Cookie.validated(
            name: name, value: id, maxAge: Int(lifetime.components.seconds), path: "/", secure: secure, httpOnly: true, sameSite: .lax))
            ?? Cookie(name: name, value: id, path: "/", secure: secure, httpOnly: true)
    }

    /// The `Set-Cookie` that ends the session in the browser.
    var expired: Cookie {
        (try? Cookie.validated(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax))
            ?? Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true)
    }

    /// A new session id.
    static func newSessionID() -> String { SecureRandom.token() }

    /// What the database knows a session by: a hash, so that the table alone opens no session.
    static func storageKey(of id: String) -> String {
        SHA256.hash(data: Data(id.utf8)).hexEncoded
    }

    /// Whether `value` looks like an id this storefront made (43 base64url characters).
    static func isWellFormed(_ value: String) -> Bool {
        value.utf8.count == 43
            && value.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                    UInt8(ascii: "-"), UInt8(ascii: "_"):
                    true
                default: false
                }
            }
    }
}
