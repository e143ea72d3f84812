public import Configuration

/// Configuration values set in code, as one layer of a `ConfigReader`: the flags a command was
/// given (above the environment), or the embedded platform's own defaults (below it).
///
/// Values are stored as the readers read them: strings (whole numbers too, which
/// `requiredPositiveOrZeroInt` parses), booleans and numbers as themselves, because the in-memory
/// provider, unlike the environment's, does not convert a string when it is read as another type.
public struct ConfigurationLayer: Sendable {
    private var values: [AbsoluteConfigKey: ConfigValue] = [:]

    /// An empty layer.
    public init() {}

    /// Sets `key` to `value`, if there is one.
    public mutating func set(_ key: String, _ value: String?) {
        store(key, value.map { .string($0) })
    }

    /// Sets `key` to a whole number, if there is one.
    public mutating func set(_ key: String, _ value: Int?) {
        set(key, value.map(String.init))
    }

    /// Sets `key` to a number, if there is one (`--rate-limit 0` must read as 0).
    public mutating func set(_ key: String, _ value: Double?) {
        store(key, value.map { .double($0) })
    }

    /// Sets `key` to a boolean, if there is one.
    public mutating func set(_ key: String, _ value: Bool?) {
        store(key, value.map { .bool($0) })
    }

    /// Sets a secret: it never appears in access logs.
    public mutating func setSecret(_ key: String, _ value: String) {
        values[AbsoluteConfigKey(ConfigKey(key))] = ConfigValue(.string(value), isSecret: true)
    }

    private mutating func store(_ key: String, _ content: ConfigContent?) {
        if let content { values[AbsoluteConfigKey(ConfigKey(key))] = ConfigValue(content, isSecret: false) }
    }

    /// The layer as a provider, named for diagnostics (`flags`, `embedded defaults`).
    public func provider(name: String) -> any ConfigProvider {
        InMemoryProvider(name: name, values: values)
    }
}
