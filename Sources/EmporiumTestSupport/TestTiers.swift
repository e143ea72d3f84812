import Foundation
public import Testing

extension Tag {
    /// Needs a server that `scripts/test` starts (PostgreSQL, nats-server) or a program it installs
    /// (the aiosmtpd SMTP server, the jwcrypto issuer): runs only when ``IntegrationTier`` is on,
    /// and then a missing server fails the test.
    @Tag public static var integration: Self
    /// Runs the whole embedded platform in the test process: slower, but needs nothing installed.
    @Tag public static var platform: Self
}

/// The two tiers of tests: plain `swift test` runs the fast tier, which needs nothing but the
/// toolchain; `scripts/test` also runs the integration tier, by setting `EMPORIUM_INTEGRATION=1`
/// once it has started the servers.
public enum IntegrationTier {
    /// Whether the integration tier runs: `EMPORIUM_INTEGRATION=1`.
    public static let isEnabled = ProcessInfo.processInfo.environment["EMPORIUM_INTEGRATION"] == "1"
}

extension Trait where Self == ConditionTrait {
    /// Runs the test or suite only in the integration tier (``IntegrationTier``).
    public static var integrationTier: Self {
        .enabled(if: IntegrationTier.isEnabled, "needs a server scripts/test starts; set EMPORIUM_INTEGRATION=1 with the servers running")
    }
}
