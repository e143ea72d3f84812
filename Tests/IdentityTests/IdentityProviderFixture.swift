import AsyncHTTPClient
import EmporiumCore
import Foundation
import IdentityProvider
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization
import Testing

/// The real identity provider, in this process on a free port, with an in-memory database.
struct IdentityProviderFixture: Sendable {
    static let userServiceSecret = "user-service-secret"
    static let operatorSecret = "operator-secret"
    static let storefrontSecret = "storefront-secret"
    static let storefrontCallback = "http://127.0.0.1:9/session/callback"

    /// The issuer URL.
    let url: String

    /// Runs the provider while `body` runs.
    static func run(
        throttle: LoginThrottle = LoginThrottle(maxFailures: 3, lockDuration: .seconds(60), baseDelay: .milliseconds(1)),
        _ body: @Sendable (IdentityProviderFixture) async throws -> Void
    ) async throws {
        let issuer = Mutex<String?>(nil)
        let settings = IdentityProviderSettings(
            server: HTTPServerSettings(port: 0),
            database: .sqliteMemory,
            issuer: .deferred { issuer.withLock { $0 } },
            keyRotationInterval: nil,
            bcryptCost: 4,
            loginThrottle: throttle,
            clients: [
                .publicClient, RegisteredClient.service("user-service", secret: userServiceSecret)!,
                RegisteredClient.service("operator", secret: operatorSecret)!,
                .storefront(secret: storefrontSecret, redirectURIs: { [storefrontCallback, "http://127.0.0.1:9/"] }),
            ]
        )
        let (started, startedContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = try await buildIdentityProviderSimulator(settings: settings, logger: Logger(label: "test")) { _, port in
            startedContinuation.yield(port)
            startedContinuation.finish()
        }
        let group = ServiceGroup(services: [app], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var ports = started.makeAsyncIterator()
            let port = try #require(await ports.next())
            let url = "http://127.0.0.1:\(port)"
            issuer.withLock { $0 = url }
            do {
                try await body(IdentityProviderFixture(url: url))
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    // MARK: Calls

    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(T.self, from: body) }
        var oauthError: String? { (try? JSONDecoder().decode([String: String].self, from: body))?["error"] }
    }

    /// A client that shows redirects instead of following them, as the code flow's tests need;
    /// it lives as long as the test process.
    static let withoutRedirects = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

    func send(_ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], body: Data? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: path.hasPrefix("http") ? path : url + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await Self.withoutRedirects.execute(request, timeout: .seconds(10))
        let collected = try await response.body.collect(upTo: 1 << 20)
        return Answer(status: Int(response.status.code), headers: response.headers, body: Data(collected.readableBytesView))
    }

    /// A token request with `form`, optionally with HTTP Basic client credentials.
    func token(_ form: [String: String], basic: ClientCredentials? = nil) async throws -> Answer {
        var headers = [("Content-Type", "application/x-www-form-urlencoded")]
        if let basic { headers.append(("Authorization", basic.basicAuthorization)) }
        return try await send(.POST, "/token", headers: headers, body: Data(FormEncoding.encode(form).utf8))
    }

    func login(_ email: String, _ password: String) async throws -> Answer {
        try await token(["grant_type": "password", "client_id": "emporium-web", "username": email, "password": password])
    }

    func serviceToken(_ client: String, _ secret: String, scope: String? = nil) async throws -> String {
        var form = ["grant_type": "client_credentials"]
        form["scope"] = scope
        let answer = try await token(form, basic: ClientCredentials(clientID: client, secret: secret))
        try #require(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
        return try answer.decode(TokenResponse.self).accessToken
    }

    /// Creates an account through the admin API, as the User Service does.
    @discardableResult
    func createAccount(_ email: String, _ password: String, roles: [String]? = nil) async throws -> AccountRepresentation {
        let token = try await serviceToken("user-service", Self.userServiceSecret)
        let answer = try await send(
            .POST,
            "/admin/accounts",
            headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
            body: try JSONEncoder().encode(NewAccount(email: email, password: password, name: "Test", roles: roles))
        )
        try #require(answer.status == 201, "\(String(decoding: answer.body, as: UTF8.self))")
        return try answer.decode(AccountRepresentation.self)
    }

    /// A verifier that trusts this provider.
    func withVerifier(_ body: (AccessTokenVerifier) async throws -> Void) async throws {
        let client = OutboundHTTPClient()
        do {
            try await body(AuthSettings(issuer: .fixed(url)).makeVerifier(client: client, logger: Logger(label: "test")))
        } catch {
            try await client.client.shutdown()
            throw error
        }
        try await client.client.shutdown()
    }
}
