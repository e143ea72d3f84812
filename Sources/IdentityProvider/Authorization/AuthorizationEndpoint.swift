import Crypto
import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `GET /authorize` and `POST /authorize`: the code flow's authorization endpoint with the
/// provider's own sign-in page. The lockout of repeated failures applies as at the token
/// endpoint; the form's CSRF token must match the cookie set with it (double submit), so a page
/// elsewhere cannot sign a browser in to an account of its choosing.
struct AuthorizationEndpoint: Sendable {
    static let csrfCookie = "emporium-idp-csrf"

    let settings: IdentityProviderSettings
    let accounts: AccountStore
    let codes: AuthorizationCodeStore

    @Sendable func show(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        let authorization: AuthorizationRequest
        do {
            authorization = try AuthorizationRequest.parse(request.formQuery, clients: settings.clients)
        } catch let refused as AuthorizationRequest.Unredirectable {
            return Self.html(SignInPage.message(title: "Sign-in refused", refused.message), status: .badRequest, formTarget: nil)
        } catch let refused as AuthorizationRequest.Redirected {
            return Self.redirect(to: refused.location)
        }
        let csrf = request.cookies[Self.csrfCookie]?.value ?? SecureRandom.token()
        var response = Self.html(
            SignInPage.form(for: authorization, csrf: csrf, email: authorization.loginHint ?? ""), status: .ok, formTarget: authorization.redirectURI)
        response.setCookie(Self.cookie(csrf))
        return response
    }

    @Sendable func signIn(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        let form = try await TokenEndpoint.form(of: request, context: context)
        let authorization: AuthorizationRequest
        do {
            authorization = try AuthorizationRequest.parse(form, clients: settings.clients)
        } catch let refused as AuthorizationRequest.Unredirectable {
            return Self.html(SignInPage.message(title: "Sign-in refused", refused.message), status: .badRequest, formTarget: nil)
        } catch let refused as AuthorizationRequest.Redirected {
            return Self.redirect(to: refused.location)
        }
        guard let cookie = request.cookies[Self.csrfCookie]?.value, let sent = form["csrf"], Self.same(cookie, sent) else {
            return Self.html(
                SignInPage.message(title: "Sign-in expired", "The sign-in form was not sent from this page. Go back to the shop and sign in again."),
                status: .forbidden, formTarget: nil)
        }
        let email = form["email"] ?? ""
        func again(_ message: String, _ status: HTTPResponse.Status) -> Response {
            Self.html(
                SignInPage.form(for: authorization, csrf: cookie, email: email, error: message), status: status, formTarget: authorization.redirectURI
            )
        }
        guard !email.isEmpty, let password = form["password"], !password.isEmpty else { return again("Enter your email and password.", .badRequest) }
        switch try await accounts.login(email: email, password: password) {
        case .success(let account):
            let code = try await codes.issue(
                AuthorizationCodeStore.Grant(
                    client_id: authorization.clientID, redirect_uri: authorization.redirectURI, account_id: account.id,
                    scope: authorization.scope.joined(separator: " "), nonce: authorization.nonce, code_challenge: authorization.codeChallenge,
                    auth_time: AccountStore.now()))
            context.logger.info("Signed in through the authorization endpoint", metadata: ["client": "\(authorization.clientID)"])
            return Self.redirect(to: authorization.location(code: code))
        case .wrongCredentials:
            return again("The email or password is wrong.", .unauthorized)
        case .locked(let until):
            let minutes = max(1, (until - AccountStore.now() + 59) / 60)
            return again("This account is locked after repeated failed sign-ins. Try again in \(minutes) minute(s).", .forbidden)
        case .disabled:
            return again("This account is disabled.", .forbidden)
        }
    }

    // MARK: Responses

    /// An HTML page with a policy that allows its own style block and no script; its form may
    /// post here and, since the answer redirects there, to the client's origin.
    static func html(_ page: String, status: HTTPResponse.Status, formTarget: String?) -> Response {
        let styleHash = Data(SHA256.hash(data: Data(SignInPage.style.utf8))).base64EncodedString()
        let origin = formTarget.flatMap(Self.origin(of:)).map { " " + $0 } ?? ""
        return Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy:
                    "default-src 'none'; style-src 'sha256-\(styleHash)'; form-action 'self'\(origin); frame-ancestors 'none'; base-uri 'none'",
                .xContentTypeOptions: "nosniff", HTTPField.Name("Referrer-Policy")!: "no-referrer",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: page))
        )
    }

    static func redirect(to location: String) -> Response {
        Response(status: .found, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// `scheme://host[:port]` of `uri`.
    static func origin(of uri: String) -> String? {
        guard let parts = URLComponents(string: uri), let scheme = parts.scheme, let host = parts.host else { return nil }
        return "\(scheme)://\(host)" + (parts.port.map { ":\($0)" } ?? "")
    }

    private static func cookie(_ value: String) -> Cookie {
        // Path-less and host-only; Strict, since only this provider's own form posts with it.
        (try? Cookie.validated(name: csrfCookie, value: value, maxAge: 3600, path: "/", httpOnly: true, sameSite: .strict))
            ?? Cookie(name: csrfCookie, value: value, path: "/")
    }

    private static func same(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count, !left.isEmpty else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
