import AsyncHTTPClient
import Contracts
import EmporiumCore
import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1

/// The identity provider's admin API, called with the User Service's own client-credentials token
/// (scope `idp.accounts`).
struct IdentityProviderAccounts: Sendable {
    let issuer: IssuerLocation
    let tokens: ServiceTokenProvider
    let client: OutboundHTTPClient

    enum Creation {
        case created(UUID)
        case emailTaken
    }

    /// Creates the account; the provider's own refusals of the input come back as 400 problems.
    func create(email: String, password: String, name: String, logger: Logger) async throws -> Creation {
        struct Body: Encodable {
            var email: String
            var password: String
            var name: String
        }
        struct Created: Decodable {
            var id: UUID
        }
        let response = try await send(
            .POST, path: "/admin/accounts", body: try JSONEncoder().encode(Body(email: email, password: password, name: name)), logger: logger)
        switch response.status.code {
        case 201:
            return .created(try JSONDecoder().decode(Created.self, from: response.body).id)
        case 409:
            return .emailTaken
        case 400:
            // The provider's rules are the same as ours; if it still refuses, pass on what it named.
            let problem = try? JSONDecoder().decode(ProblemDocument.self, from: response.body)
            throw Problem(.invalidField, detail: problem?.detail ?? "The identity provider refused the account.", field: problem?.field)
        default:
            throw Self.unavailable("answered \(response.status.code)")
        }
    }

    /// Deletes an account (undoing a registration whose profile could not be stored).
    func delete(id: UUID, logger: Logger) async throws {
        let response = try await send(.DELETE, path: "/admin/accounts/\(id.uuidString.lowercased())", body: nil, logger: logger)
        guard response.status.code == 204 || response.status.code == 404 else { throw Self.unavailable("answered \(response.status.code)") }
    }

    private struct Answer {
        var status: HTTPResponseStatus
        var body: Data
    }

    /// Sends a call, once more with a fresh token if the provider refuses the cached one (it may
    /// have been issued before a key rotation the cache has not seen).
    private func send(_ method: HTTPMethod, path: String, body: Data?, logger: Logger) async throws -> Answer {
        for attempt in 1...2 {
            var request = HTTPClientRequest(url: try issuer.url() + path)
            request.method = method
            let token: String
            do {
                token = try await tokens.token()
            } catch {
                logger.warning("No service token from the identity provider", metadata: ["error": "\(error)"])
                throw Self.unavailable("did not issue the User Service's token")
            }
            request.headers.add(name: "Authorization", value: "Bearer " + token)
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: body))
            }
            let response: HTTPClientResponse
            let collected: ByteBuffer
            do {
                // Creating an account hashes its password (bcrypt, deliberately slow): allow for it.
                response = try await client.execute(request, timeout: .seconds(10), dependency: Component.idp.rawValue, logger: logger)
                collected = try await response.body.collect(upTo: 64 * 1024)
            } catch {
                logger.warning("The identity provider could not be reached", metadata: ["error": "\(error)"])
                throw Self.unavailable("could not be reached")
            }
            if response.status == .unauthorized, attempt == 1 {
                await tokens.invalidate()
                continue
            }
            return Answer(status: response.status, body: Data(collected.readableBytesView))
        }
        throw Self.unavailable("refused the User Service's credentials")
    }

    private static func unavailable(_ what: String) -> Problem {
        Problem(.serviceUnavailable, detail: "The identity provider \(what); nothing was created or changed.", headers: [.retryAfter: "1"])
    }
}
