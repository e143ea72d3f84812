import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import WebSupport

/// Who may see the console: admins signed in through the identity provider. A browser without a
/// session is sent to sign in; a signed-in customer gets a 403 page, and the console's data
/// answers 401 or 403 problems.
struct ConsoleAccess: Sendable {
    let sessions: SealedCookie<ConsoleSession>
    let renderer: PageRenderer

    /// The session `request` carries, if it has not expired.
    func session(in request: Request) -> ConsoleSession? {
        guard let session = sessions.value(in: request), session.expiresAt > Date().timeIntervalSince1970 else { return nil }
        return session
    }

    /// Runs `page` for an admin; anyone else gets the sign-in or a 403 page.
    func page(_ request: Request, _ page: (ConsoleSession) async throws -> Response) async throws -> Response {
        guard let session = session(in: request) else {
            let target = request.method == .get ? Self.localPath(request.uri.description) ?? "/console" : "/console"
            var components = URLComponents()
            components.path = "/console/session/signin"
            components.queryItems = [URLQueryItem(name: "return", value: target)]
            return Self.seeOther(components.string ?? "/console/session/signin")
        }
        guard session.isAdmin else {
            return try renderer.page(
                "message",
                MessagePage(
                    title: "Admins only", heading: "The console is for admins",
                    text: "You are signed in as \(session.name), who is not an admin. Sign out, and sign in again with an admin account.",
                    signedIn: true),
                status: .forbidden)
        }
        return try await page(session)
    }

    /// The session of an admin calling the console's data; a problem for anyone else.
    func requireAdmin(_ request: Request) throws -> ConsoleSession {
        guard let session = session(in: request) else {
            throw Problem(.unauthorized, detail: "Sign in to the console first: /console/session/signin.")
        }
        guard session.isAdmin else { throw Problem(.forbidden, detail: "The console is for admins; \(session.name) is not one.") }
        return session
    }

    /// Refuses a form posted from another site (defence in depth: the session cookie is
    /// `SameSite=Lax` already): a browser says where a request comes from in `Sec-Fetch-Site`,
    /// or at least in `Origin`.
    func requireSameSite(_ request: Request, publicURL: String?) throws {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!] {
            guard site == "same-origin" || site == "none" else { throw Problem(.forbidden, detail: "The form was sent from another site.") }
        } else if let origin = request.headers[HTTPField.Name("Origin")!], let publicURL, !publicURL.hasPrefix(origin) {
            throw Problem(.forbidden, detail: "The form was sent from another site (\(origin)).")
        }
    }

    /// `path` when it is a path on this site (no other host, no header injection), else nil.
    static func localPath(_ path: String?) -> String? {
        ReturnPath.local(path, under: "/console")
    }

    /// A 303 to `location`.
    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}

/// The values of the `message` template: a page that only says something.
struct MessagePage: Sendable {
    var title: String
    var heading: String
    var text: String
    /// Whether to offer signing out.
    var signedIn: Bool
}
