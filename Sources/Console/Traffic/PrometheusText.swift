/// One sample of Prometheus' text exposition format: `name{label="value",…} 12.5`.
struct PrometheusSample: Sendable, Equatable {
    var name: String
    var labels: [String: String]
    var value: Double
}

/// Reads Prometheus' text exposition format (version 0.0.4), as every component's `/metrics`
/// serves it: comment lines are skipped, label values unescaped (`\\`, `\"`, `\n`), and a line
/// that is not a sample is left out rather than failing the whole scrape.
enum PrometheusText {
    /// The samples of `text`.
    static func samples(in text: String) -> [PrometheusSample] {
        var samples: [PrometheusSample] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") {
            if let sample = sample(Substring(line)) { samples.append(sample) }
        }
        return samples
    }

    /// The samples whose name starts with `prefix` (the console reads only the platform's own).
    static func samples(in text: String, prefix: String) -> [PrometheusSample] {
        var samples: [PrometheusSample] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where line.hasPrefix(prefix) {
            if let sample = sample(Substring(line)) { samples.append(sample) }
        }
        return samples
    }

    static func sample(_ line: Substring) -> PrometheusSample? {
        var rest = line[...]
        let nameEnd = rest.firstIndex { $0 == "{" || $0 == " " } ?? rest.endIndex
        let name = String(rest[..<nameEnd])
        guard !name.isEmpty else { return nil }
        rest = rest[nameEnd...]
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while let first = rest.first, first != "}" {
                if first == "," || first == " " {
                    rest = rest.dropFirst()
                    continue
                }
                guard let equals = rest.firstIndex(of: "=") else { return nil }
                let key = String(rest[..<equals])
                rest = rest[rest.index(after: equals)...]
                guard rest.first == "\"" else { return nil }
                rest = rest.dropFirst()
                var value = ""
                var escaped = false
                var closed = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        value.append(character == "n" ? "\n" : character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        closed = true
                        break
                    } else {
                        value.append(character)
                    }
                }
                guard closed else { return nil }
                labels[key] = value
            }
            guard rest.first == "}" else { return nil }
            rest = rest.dropFirst()
        }
        // The value, then an optional timestamp.
        let fields = rest.split(separator: " ", omittingEmptySubsequences: true)
        guard let text = fields.first, let value = Double(text) ?? special(text) else { return nil }
        return PrometheusSample(name: name, labels: labels, value: value)
    }

    private static func special(_ text: Substring) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: nil
        }
    }
}
