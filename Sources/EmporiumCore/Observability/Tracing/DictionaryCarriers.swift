import Instrumentation

/// Writes propagation values into a dictionary: the attributes an event envelope carries.
struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        carrier[key] = value
    }
}

/// Reads propagation values from a dictionary: the attributes of a received event envelope.
struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? {
        carrier[key].flatMap { $0.isEmpty ? nil : $0 }
    }
}
