import Configuration

/// The configuration of one invocation: the flags given, then the environment.
///
/// Flags are declared as optionals in the commands, so that an absent flag falls through to the
/// environment variable and then to the default (the pattern swift-configuration documents for
/// use with swift-argument-parser).
struct ConfigurationLayers {
    private var values: [AbsoluteConfigKey: ConfigValue] = [:]

    /// Records a flag's value under `key`, if the flag was given.
    mutating func set(_ key: String, _ value: String?) {
        store(key, value.map { .string($0) })
    }

    /// Records an integer flag's value under `key`, if the flag was given.
    mutating func set(_ key: String, _ value: Int?) {
        set(key, value.map(String.init))
    }

    /// Records a number flag's value under `key`, if the flag was given. Stored as a number: the
    /// in-memory provider does not convert a string when read as one (`--rate-limit 0` was ignored).
    mutating func set(_ key: String, _ value: Double?) {
        store(key, value.map { .double($0) })
    }

    /// Records a boolean flag's value under `key`, if the flag was given. Stored as a boolean:
    /// the in-memory provider, unlike the environment's, does not convert a string when read as one.
    mutating func set(_ key: String, _ value: Bool?) {
        store(key, value.map { .bool($0) })
    }

    private mutating func store(_ key: String, _ content: ConfigContent?) {
        if let content { values[AbsoluteConfigKey(ConfigKey(key))] = ConfigValue(content, isSecret: false) }
    }

    /// The reader over flags, then environment.
    func reader() -> ConfigReader {
        ConfigReader(providers: [InMemoryProvider(name: "flags", values: values), EnvironmentVariablesProvider()])
    }
}
