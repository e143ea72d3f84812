/// The identity provider's issuer URL: configured up front in the distributed mode, or known
/// only once the embedded provider has bound its port.
///
/// Tokens carry the issuer in `iss` and services discover the provider's keys from it, so every
/// component must agree on it; in the embedded mode they all read it from the same place.
public struct IssuerLocation: Sendable {
    private let resolve: @Sendable () -> String?

    /// An issuer known at start-up (`https://idp.example.com`).
    public static func fixed(_ url: String) -> IssuerLocation {
        let normalized = url.hasSuffix("/") ? String(url.dropLast()) : url
        return IssuerLocation { normalized }
    }

    /// An issuer that becomes known later; `resolve` returns nil until then.
    public static func deferred(_ resolve: @escaping @Sendable () -> String?) -> IssuerLocation {
        IssuerLocation(resolve: resolve)
    }

    /// No identity provider: every token is refused with a 503, which says that the component
    /// was started without one (tests of unrelated behaviour use it).
    public static let unset = IssuerLocation { nil }

    /// The issuer URL, without a trailing slash.
    /// - Throws: ``AuthenticationFailure/keysUnavailable(reason:)`` while it is not known yet.
    public func url() throws(AuthenticationFailure) -> String {
        guard let url = resolve() else { throw .keysUnavailable(reason: "the identity provider has not started yet") }
        return url
    }
}
