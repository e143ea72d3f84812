public import Foundation
public import HTTPTypes
import NIOCore
import OpenAPIAsyncHTTPClient
public import OpenAPIRuntime

/// A client of Emporium's public API, generated from its contract (`openapi.yaml`) by
/// swift-openapi-generator: one method per `operationId` (`createOrder`, `payOrder`…), typed
/// inputs and outputs, every documented status a case of the output.
public enum EmporiumAPI {
    /// A client of the gateway at `gatewayURL`, over AsyncHTTPClient's shared client.
    /// - Parameters:
    ///   - gatewayURL: The gateway's base URL (`http://127.0.0.1:8080`).
    ///   - token: An access token from `requestToken`, sent as a bearer token on every call.
    ///   - timeout: How long one call may take.
    ///   - middlewares: More middleware, run after the token's.
    public static func client(
        gatewayURL: URL, token: String? = nil, timeout: Duration = .seconds(30), middlewares: [any ClientMiddleware] = []
    ) -> Client {
        let transport = AsyncHTTPClientTransport(configuration: .init(timeout: .nanoseconds(timeout.nanoseconds)))
        return Client(serverURL: gatewayURL, transport: transport, middlewares: (token.map { [BearerToken(token: $0)] } ?? []) + middlewares)
    }
}

/// Sends an access token as `Authorization: Bearer …` on every request.
public struct BearerToken: ClientMiddleware {
    /// The access token.
    public let token: String

    /// A middleware sending `token`.
    public init(token: String) {
        self.token = token
    }

    public func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        baseURL: URL,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(token)"
        return try await next(request, body, baseURL)
    }
}

extension Duration {
    fileprivate var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}
