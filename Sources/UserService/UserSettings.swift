public import Configuration
import Contracts
public import EmporiumCore

/// The User Service's settings.
///
/// Configuration keys, under the `user` scope (`user.idp.client-secret` ↔ `USER_IDP_CLIENT_SECRET`):
/// - everything of ``ServiceSettings``;
/// - `idp.client-secret` (string, required): the service's secret at the identity provider
///   (client `user-service`), with which it creates accounts there.
public struct UserSettings: Sendable {
    /// Where it listens, its database and how tokens are checked.
    public var service: ServiceSettings
    /// Its client credentials at the identity provider.
    public var credentials: ClientCredentials

    /// Creates settings from values.
    public init(service: ServiceSettings, credentials: ClientCredentials) {
        self.service = service
        self.credentials = credentials
    }

    /// Reads the settings from configuration scoped to `user`.
    public init(config: ConfigReader) throws {
        guard let secret = config.string(forKey: "idp.client-secret", isSecret: true), !secret.isEmpty else {
            throw InvalidConfiguration(key: "user.idp.client-secret", reason: "the User Service's secret at the identity provider is required")
        }
        self.init(
            service: try ServiceSettings(config: config, component: .user),
            credentials: ClientCredentials(clientID: userServiceClientID, secret: secret)
        )
    }
}

/// The User Service's client id at the identity provider.
public let userServiceClientID = "user-service"
