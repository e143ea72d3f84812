import Contracts
import EmporiumCore
import EmporiumTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import UserService

/// The User Service's routes and who may call them, on the demo profiles, without the gateway in
/// front. The identity provider is unreachable: registration's refusals here come before it is asked.
@Suite(.timeLimit(.minutes(2))) struct ProfileRoutesTests {
    func withUserService(_ body: @escaping @Sendable (any TestClientProtocol, TestIssuer) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("user-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let issuer = TestIssuer()
        try await issuer.run {
            let settings = UserSettings(
                service: ServiceSettings(
                    server: HTTPServerSettings(port: 0),
                    database: .sqliteFile(path: directory.appendingPathComponent("user.sqlite").path),
                    seedDemoData: true,
                    auth: issuer.authSettings
                ),
                credentials: ClientCredentials(clientID: userServiceClientID, secret: "s")
            )
            try await buildUserService(settings: settings).test(.live) { client in try await body(client, issuer) }
        }
    }

    func send(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, token: String?, body: String? = nil) async throws
        -> TestResponse
    {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    func problem(_ response: TestResponse) throws -> ProblemDocument {
        try JSONDecoder().decode(ProblemDocument.self, from: Data(response.body.readableBytesView))
    }

    @Test func aSignedInUserReadsAndChangesOnlyTheirOwnProfile() async throws {
        try await withUserService { client, issuer in
            let customer = try await issuer.token(subject: DemoAccount.customer.id.uuidString)
            let me = try await send(client, .get, "/api/v1/users/me", token: customer)
            #expect(me.status == .ok)
            #expect(try JSONDecoder().decode(UserProfile.self, from: Data(me.body.readableBytesView)).email == DemoAccount.customer.email)
            let renamed = try await send(client, .patch, "/api/v1/users/me", token: customer, body: #"{"name":"Renamed Customer"}"#)
            #expect(renamed.status == .ok)
            // The admin's profile is untouched.
            let admin = try await issuer.token(subject: DemoAccount.admin.id.uuidString, roles: ["admin"])
            let adminProfile = try await send(client, .get, "/api/v1/users/me", token: admin)
            #expect(try JSONDecoder().decode(UserProfile.self, from: Data(adminProfile.body.readableBytesView)).name == DemoAccount.admin.name)
        }
    }

    @Test func onlyAdminsListUsers() async throws {
        try await withUserService { client, issuer in
            let customer = try await issuer.token(subject: DemoAccount.customer.id.uuidString)
            #expect(try await send(client, .get, "/api/v1/users", token: customer).status == .forbidden)
            let admin = try await issuer.token(subject: DemoAccount.admin.id.uuidString, roles: ["admin"])
            let listed = try await send(client, .get, "/api/v1/users", token: admin)
            #expect(listed.status == .ok)
            let page = try JSONDecoder().decode(Contracts.Page<UserProfile>.self, from: Data(listed.body.readableBytesView))
            #expect(Set(page.items.map(\.email)) == Set(DemoAccount.all.map(\.email)))
        }
    }

    @Test func withoutATokenOnlyRegistrationIsOpen() async throws {
        try await withUserService { client, _ in
            #expect(try await send(client, .get, "/api/v1/users/me", token: nil).status == .unauthorized)
            #expect(try await send(client, .get, "/api/v1/users", token: nil).status == .unauthorized)
            #expect(try await send(client, .patch, "/api/v1/users/me", token: nil, body: "{}").status == .unauthorized)
            // Registration needs no token; a bad one is refused naming the field, before the provider is asked.
            let bad = try await send(
                client, .post, "/api/v1/users", token: nil, body: #"{"email":"not-an-email","password":"long enough passphrase","name":"Pat"}"#)
            #expect(bad.status == .badRequest)
            #expect(try problem(bad).field == "email")
        }
    }

    @Test func aPasswordThePolicyRefusesIs422NamingIt() async throws {
        try await withUserService { client, _ in
            // Ten characters as the document asks, but only one of them: the policy's rule, not the schema's.
            let weak = try await send(
                client, .post, "/api/v1/users", token: nil, body: #"{"email":"pat@example.com","password":"aaaaaaaaaa","name":"Pat"}"#)
            #expect(weak.status == .unprocessableContent)
            #expect(try problem(weak).type == "urn:emporium:problem:weak-password")
            #expect(try problem(weak).field == "password")
        }
    }

    @Test func invalidChangesAre400NamingTheFieldAndChangeNothing() async throws {
        try await withUserService { client, issuer in
            let customer = try await issuer.token(subject: DemoAccount.customer.id.uuidString)
            let response = try await send(client, .patch, "/api/v1/users/me", token: customer, body: #"{"name":""}"#)
            #expect(response.status == .badRequest)
            #expect(try problem(response).field == "name")
            let me = try await send(client, .get, "/api/v1/users/me", token: customer)
            #expect(try JSONDecoder().decode(UserProfile.self, from: Data(me.body.readableBytesView)).name == DemoAccount.customer.name)
        }
    }

    @Test func aMethodAPathDoesNotServeIs405WithAllow() async throws {
        try await withUserService { client, issuer in
            let customer = try await issuer.token(subject: DemoAccount.customer.id.uuidString)
            let response = try await send(client, .delete, "/api/v1/users/me", token: customer)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == "GET, PATCH, HEAD")
        }
    }
}
