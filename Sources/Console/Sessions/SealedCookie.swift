import Crypto
import EmporiumCore
import Foundation
import Hummingbird

/// A cookie whose value is sealed (AES-GCM under a key derived from the console's secret) and
/// bound to its name: the browser carries the console's session, but can neither read nor
/// change it, nor pass one cookie off as the other. Every instance with the same secret opens it,
/// so the console keeps no sessions of its own.
struct SealedCookie<Value: Codable>: Sendable {
    let name: String
    let path: String
    let key: SymmetricKey
    let secure: Bool

    init(name: String, path: String, secret: String, secure: Bool) {
        self.name = secure ? "__Secure-" + name : name
        self.path = path
        self.key = SymmetricKey(data: SHA256.hash(data: Data(("emporium-console:" + secret).utf8)))
        self.secure = secure
    }

    /// The value `request` carries, if it was sealed here under this name.
    func value(in request: Request) -> Value? {
        guard let text = request.cookies[name]?.value, text.utf8.count <= 4096, let sealed = Base64URL.decode(text),
            let box = try? AES.GCM.SealedBox(combined: sealed),
            let plain = try? AES.GCM.open(box, using: key, authenticating: Data(name.utf8))
        else { return nil }
        return try? JSONDecoder().decode(Value.self, from: plain)
    }

    /// The `Set-Cookie` carrying `value` for `lifetime`.
    func cookie(_ value: Value, lifetime: Duration) throws -> Cookie {
        let plain = try JSONEncoder().encode(value)
        let sealed = try AES.GCM.seal(plain, using: key, authenticating: Data(name.utf8))
        guard let combined = sealed.combined else { throw CookieSealFailed() }
        return try Cookie.validated(
            name: name, value: Base64URL.encode(combined), maxAge: Int(lifetime.components.seconds), path: path, secure: secure,
            httpOnly: true, sameSite: .lax)
    }

    /// The `Set-Cookie` that removes it.
    var expired: Cookie {
        (try? Cookie.validated(name: name, value: "", maxAge: 0, path: path, secure: secure, httpOnly: true, sameSite: .lax))
            ?? Cookie(name: name, value: "", maxAge: 0, path: path, secure: secure, httpOnly: true)
    }
}

/// AES-GCM gave no combined box (it always does with its default nonce).
struct CookieSealFailed: Error {}

/// Who is signed in to the console, until when.
struct ConsoleSession: Codable, Sendable {
    var subject: String
    var name: String
    var roles: [String]
    /// Seconds since 1970.
    var expiresAt: Double
    /// The admin's access token, with which the console calls the public API as them (dead letters).
    var accessToken: String?
    /// When it expires, seconds since 1970.
    var accessExpiresAt: Double?
    /// What renews it.
    var refreshToken: String?

    var isAdmin: Bool { roles.contains("admin") }

    /// How long a sign-in lasts: a working day.
    static let lifetime = Duration.seconds(8 * 3600)
}

/// A sign-in on its way through the identity provider: what the callback checks.
struct PendingSignIn: Codable, Sendable {
    var state: String
    var nonce: String
    var codeVerifier: String
    var returnTo: String
    var expiresAt: Double

    /// How long the provider's page may take.
    static let lifetime = Duration.seconds(600)
}
