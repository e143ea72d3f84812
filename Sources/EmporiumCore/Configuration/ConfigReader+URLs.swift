public import Configuration

extension ConfigReader {
    /// Reads base URLs separated by commas (the instances of one component), failing loudly on
    /// one that is not `http://` or `https://`. Trailing slashes are dropped.
    /// - Parameters:
    ///   - key: The key, relative to this reader.
    ///   - scope: The scope this reader was made for, if any, to name the whole key in an error.
    ///   - defaultValue: The value when the key is absent.
    public func requiredBaseURLs(_ key: String, scope: String? = nil, default defaultValue: String) throws -> [String] {
        let list = string(forKey: ConfigKey(key), default: defaultValue)
        let urls = try list.split(separator: ",").map { part in
            let url = part.trimmingWhitespace
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                let fullKey = scope.map { "\($0).\(key)" } ?? key
                throw InvalidConfiguration(key: fullKey, reason: "expected http:// or https:// URLs separated by commas, got \"\(url)\"")
            }
            return url.hasSuffix("/") ? String(url.dropLast()) : url
        }
        guard !urls.isEmpty else {
            throw InvalidConfiguration(key: scope.map { "\($0).\(key)" } ?? key, reason: "expected at least one URL")
        }
        return urls
    }
}
