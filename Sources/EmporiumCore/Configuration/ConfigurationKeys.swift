/// Keys that the `emporium` process reads for itself rather than for one component (every
/// component's own keys are read by its `…Settings(config:)`; docs/configuration.md lists all).
public enum ConfigurationKeys {
    /// The log level of every command (`EMPORIUM_LOG_LEVEL`).
    public static let logLevel = "emporium.log-level"
}
