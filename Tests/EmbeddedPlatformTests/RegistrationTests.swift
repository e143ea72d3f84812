import AsyncHTTPClient
public import Contracts
import EmbeddedPlatform
import EmporiumCore
import EmporiumTestSupport
import Foundation
import NIOHTTP1
public import Testing

/// `POST /api/v1/users` through the gateway, against the real identity provider.
@Suite(.tags(.platform), .timeLimit(.minutes(3))) struct RegistrationTests {
    @Test func registeredUserCanLogInAndSeeTheirProfile() async throws {
        try await PlatformFixture.withPlatform { report in
            let gateway = report.gatewayURL
            let created = try await HTTP.send(
                .POST, "\(gateway)/api/v1/users", json: Registration(email: "Ada@Example.com", password: "analytical engine", name: " Ada "))
            #expect(created.status == 201)
            #expect(created.headers.first(name: "location") == "/api/v1/users/me")
            let profile = try created.decode(UserProfile.self)
            #expect(profile.email == "ada@example.com")
            #expect(profile.name == "Ada")

            let token = try await HTTP.login(gateway, email: "ada@example.com", password: "analytical engine")
            #expect(token.refreshToken != nil)
            let me = try await HTTP.get("\(gateway)/api/v1/users/me", token: token.accessToken)
            #expect(try me.decode(UserProfile.self) == profile)
        }
    }

    /// Tokens name the provider's URL as their issuer; the embedded provider keeps its port across
    /// restarts, so a customer stays logged in when the platform restarts on the same data.
    @Test func aTokenStaysValidAcrossARestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-restart-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var accessToken = ""
        var providerPort: Int?
        try await PlatformFixture.withPlatform(dataDirectory: directory) { report in
            let gateway = report.gatewayURL
            let created = try await HTTP.send(
                .POST, "\(gateway)/api/v1/users", json: Registration(email: "grace@example.com", password: "compiler pioneer", name: "Grace"))
            #expect(created.status == 201)
            accessToken = try await HTTP.login(gateway, email: "grace@example.com", password: "compiler pioneer").accessToken
            providerPort = report.ports[.idp]
        }
        try await PlatformFixture.withPlatform(dataDirectory: directory) { report in
            #expect(report.ports[.idp] == providerPort)
            let me = try await HTTP.get("\(report.gatewayURL)/api/v1/users/me", token: accessToken)
            #expect(me.status == 200)
            #expect(try me.decode(UserProfile.self).email == "grace@example.com")
        }
    }

    @Test func aTakenEmailIs409AndChangesNothing() async throws {
        try await PlatformFixture.withPlatform { report in
            let gateway = report.gatewayURL
            let first = try await HTTP.send(
                .POST, "\(gateway)/api/v1/users", json: Registration(email: "bob@example.com", password: "first password", name: "Bob"))
            #expect(first.status == 201)
            let second = try await HTTP.send(
                .POST, "\(gateway)/api/v1/users", json: Registration(email: "BOB@example.com", password: "second password", name: "Other"))
            #expect(second.status == 409)
            #expect(second.problem?.field == "email")
            // The first password still works; the second never became one.
            _ = try await HTTP.login(gateway, email: "bob@example.com", password: "first password")
            let refused = try await HTTP.send(
                .POST,
                "\(gateway)/auth/token",
                form: ["grant_type": "password", "client_id": "emporium-web", "username": "bob@example.com", "password": "second password"]
            )
            #expect(refused.status == 400)
        }
    }

    /// Malformed input is a 400; a well-formed password the policy refuses (common, too few
    /// different characters) is a 422, since the document's schema cannot say so.
    @Test(arguments: [
        (Registration(email: "not-an-email", password: "long enough pass", name: "X"), "email", 400),
        (Registration(email: "a@b", password: "long enough pass", name: "X"), "email", 400),
        (Registration(email: "c@example.com", password: "short", name: "X"), "password", 400),
        (Registration(email: "d@example.com", password: "password123", name: "X"), "password", 422),
        (Registration(email: "e@example.com", password: "aaaaaaaaaaaa", name: "X"), "password", 422),
        (Registration(email: "f@example.com", password: "long enough pass", name: "   "), "name", 400),
    ])
    func badInputIsRefusedNamingTheField(registration: Registration, field: String, status: Int) async throws {
        try await PlatformFixture.withPlatform { report in
            let gateway = report.gatewayURL
            let response = try await HTTP.send(.POST, "\(gateway)/api/v1/users", json: registration)
            #expect(response.status == status)
            #expect(response.problem?.field == field)
            // Nothing was created: the e-mail cannot log in.
            let login = try await HTTP.send(
                .POST,
                "\(gateway)/auth/token",
                form: ["grant_type": "password", "client_id": "emporium-web", "username": registration.email, "password": registration.password]
            )
            #expect(login.status == 400)
        }
    }

    @Test func addressesAreValidatedAndSaved() async throws {
        try await PlatformFixture.withPlatform { report in
            let gateway = report.gatewayURL
            let token = try await HTTP.login(gateway, email: DemoAccount.customer.email, password: DemoAccount.defaultPassword).accessToken
            let bad = PostalAddress(name: "C", line1: "Street 1", city: "Berlin", postalCode: "10115", country: "Germany")
            let refused = try await HTTP.send(.PATCH, "\(gateway)/api/v1/users/me", token: token, json: ProfileChanges(shippingAddresses: [bad]))
            #expect(refused.status == 400)
            #expect(refused.problem?.field == "shippingAddresses[0].country")

            let good = PostalAddress(name: "C", line1: "Street 1", city: "Berlin", postalCode: "10115", country: "de")
            let saved = try await HTTP.send(.PATCH, "\(gateway)/api/v1/users/me", token: token, json: ProfileChanges(shippingAddresses: [good]))
            #expect(saved.status == 200)
            #expect(try saved.decode(UserProfile.self).shippingAddresses.first?.country == "DE")
        }
    }
}

extension Registration: CustomTestStringConvertible {
    public var testDescription: String { "\(email) / \(name)" }
}
