import HTTPTypes

/// What the storefront shows instead of a page: each case a page of its own with a plain message,
/// never a stack trace or a raw problem document.
enum PageError: Error, Sendable {
    /// Nothing at this address (404).
    case notFound(what: String)
    /// A form without this session's CSRF token (403): from another site, or an expired page.
    case formExpired
    /// The request itself is malformed in a way no form of ours produces (400).
    case badRequest(String)
    /// A sign-in could not be finished (400): `reason` says what to do.
    case signInFailed(String)
    /// The page is the signed-in customer's, and nobody is signed in (or their sign-in has run
    /// out): the browser is sent to sign in, then to `returnTo` (the page asked for, when nil).
    case signInRequired(returnTo: String?)
    /// The page is the back office's, and the signed-in customer does not run the shop (403).
    case staffOnly
    /// The platform behind the storefront did not answer as it should (503); `cause` is for the log.
    case unavailable(cause: String)

    /// The response status.
    var status: HTTPResponse.Status {
        switch self {
        case .notFound: .notFound
        case .formExpired, .staffOnly: .forbidden
        case .badRequest, .signInFailed: .badRequest
        case .unavailable: .serviceUnavailable
        case .signInRequired: .unauthorized
        }
    }

    /// The page's heading.
    var title: String {
        switch self {
        case .notFound: "Not found"
        case .formExpired: "This form has expired"
        case .badRequest: "That request cannot be read"
        case .signInFailed: "Sign-in did not complete"
        case .unavailable: "The shop is unavailable"
        case .signInRequired: "Please sign in"
        case .staffOnly: "This page is for the shop's staff"
        }
    }

    /// The page's message.
    var message: String {
        switch self {
        case .notFound(let what): "We could not find \(what). It may have been removed, or the address may be mistyped."
        case .formExpired: "The form was sent without this page's security token. Go back, reload the page and try again."
        case .badRequest(let reason), .signInFailed(let reason): reason
        case .unavailable: "Part of the shop is not answering right now. Please try again in a moment."
        case .signInRequired: "This page is for signed-in customers. Sign in to see it."
        case .staffOnly: "The back office is open to the shop's administrators only. Your account can shop, see its orders and change its profile."
        }
    }
}
