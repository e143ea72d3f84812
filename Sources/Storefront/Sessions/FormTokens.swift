import Crypto
import EmporiumCore
import Foundation

/// The CSRF tokens of the storefront's forms: an HMAC of the session id under the storefront's
/// secret. A page from another site cannot read it, so a form it submits in the visitor's name
/// carries no valid token; every instance with the same secret accepts every other's.
struct FormTokens: Sendable {
    private let key: SymmetricKey

    /// Tokens signed with `secret`.
    init(secret: String) {
        key = SymmetricKey(data: SHA256.hash(data: Data(("emporium-storefront-forms:" + secret).utf8)))
    }

    /// The token of every form shown to session `sessionID`.
    func token(for sessionID: String) -> String {
        Base64URL.encode(Array(HMAC<SHA256>.authenticationCode(for: Data(sessionID.utf8), using: key)))
    }

    /// Whether `token` is the one of session `sessionID`, compared in constant time.
    func isValid(_ token: String?, for sessionID: String) -> Bool {
        guard let token, let given = Base64URL.decode(token) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: Data(sessionID.utf8), using: key)
    }
}
