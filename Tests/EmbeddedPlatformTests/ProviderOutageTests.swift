import AsyncHTTPClient
import Contracts
import EmporiumCore
import EmporiumTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import SQLKit
import Testing
import UserService

/// Registration when the identity provider cannot be reached: a clear 503, and nothing stored.
@Suite(.tags(.platform), .timeLimit(.minutes(3))) struct ProviderOutageTests {
    @Test func registrationWithoutTheProviderIs503AndStoresNothing() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("user.sqlite").path
        // Port 1 on loopback refuses connections: the provider is down.
        let settings = ServiceSettings(
            server: HTTPServerSettings(port: 0),
            database: .sqliteFile(path: database),
            auth: AuthSettings(issuer: .fixed("http://127.0.0.1:1"))
        )
        let app = try await buildUserService(
            settings: UserSettings(service: settings, credentials: ClientCredentials(clientID: "user-service", secret: "s")))
        try await app.test(.live) { client in
            let body = try JSONEncoder().encode(Registration(email: "pat@example.com", password: "pat's passphrase", name: "Pat"))
            let response = try await client.execute(
                uri: "/api/v1/users", method: .post, headers: [.contentType: "application/json"], body: .init(bytes: body))
            #expect(response.status == .serviceUnavailable)
            let problem = try JSONDecoder().decode(ProblemDocument.self, from: Data(response.body.readableBytesView))
            #expect(problem.detail?.contains("nothing was created") == true)
        }
        // The profile table is empty: reopen the database and count.
        let reopened = try ServiceDatabase(location: .sqliteFile(path: database), logger: .init(label: "test"))
        let rows = try await (reopened.database() as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM profiles").first(
            decodingColumn: "n", as: Int.self)
        #expect(rows == 0)
        await reopened.close()
    }
}
