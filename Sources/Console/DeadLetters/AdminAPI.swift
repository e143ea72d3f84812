import AsyncHTTPClient
import Contracts
import EmporiumCore
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import WebSupport

/// The public API as the signed-in admin: the console calls the gateway with the admin's own
/// access token, so that the services decide what the admin may do, as for any client. The
/// token is renewed with the session's refresh token when it is about to expire.
struct AdminAPI: Sendable {
    let client: OutboundHTTPClient
    let provider: IdentityProviderClient
    /// The gateway's base URL (its first watched instance).
    let gateway: @Sendable () -> String?

    /// An answer, and the session with its renewed token when the call renewed it.
    struct Answer: Sendable {
        var status: Int
        var body: ByteBuffer
        var renewed: ConsoleSession?

        /// The body as `type`, dates in ISO 8601.
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(T.self, from: Data(body.readableBytesView))
        }

        /// The problem's `detail`, or what the status says.
        var problemDetail: String {
            struct Detail: Decodable { var detail: String? }
            return (try? JSONDecoder().decode(Detail.self, from: Data(body.readableBytesView)))?.detail ?? "the API answered \(status)"
        }
    }

    /// Calls `path` on the gateway as `session`'s admin.
    /// - Throws: A problem when the session holds no token (signed in before the console kept
    ///   one), when it cannot be renewed, or when the gateway cannot be reached.
    func call(_ method: HTTPMethod, _ path: String, as session: ConsoleSession) async throws -> Answer {
        var session = session
        var renewed: ConsoleSession?
        if let expiry = session.accessExpiresAt, expiry < Date().timeIntervalSince1970 + 30, let refresh = session.refreshToken {
            let tokens: TokenResponse
            do {
                tokens = try await provider.refresh(refresh)
            } catch {
                throw Problem(.unauthorized, detail: "The console could not renew the admin's API token (\(error)): sign out and sign in again.")
            }
            session.accessToken = tokens.accessToken
            session.accessExpiresAt = Date().timeIntervalSince1970 + Double(tokens.expiresIn)
            session.refreshToken = tokens.refreshToken ?? refresh
            renewed = session
        }
        guard let token = session.accessToken, let gateway = gateway() else {
            throw Problem(.unauthorized, detail: "The console holds no API token for this sign-in: sign out and sign in again.")
        }
        var request = HTTPClientRequest(url: gateway + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let (status, body) = try await reach("the gateway") {
            let response = try await client.execute(request, timeout: .seconds(10), dependency: Component.gateway.rawValue)
            return (Int(response.status.code), try await response.body.collect(upTo: 4 * 1024 * 1024))
        }
        return Answer(status: status, body: body, renewed: renewed)
    }

    private func reach<Result: Sendable>(_ what: String, _ call: () async throws -> Result) async throws -> Result {
        do {
            return try await call()
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem(.serviceUnavailable, detail: "The console cannot reach \(what): \(error)", headers: [.retryAfter: "5"])
        }
    }
}
