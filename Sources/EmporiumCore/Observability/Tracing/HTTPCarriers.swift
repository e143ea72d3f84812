public import HTTPTypes
public import Instrumentation
public import NIOHTTP1

/// Reads propagation values from incoming Hummingbird (swift-http-types) headers.
public struct HTTPFieldsExtractor: Extractor {
    /// Creates the extractor.
    public init() {}

    /// The first value of the header named `key`.
    public func extract(key: String, from carrier: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { carrier[$0] }
    }
}

/// Writes propagation values into outgoing AsyncHTTPClient (NIO) headers.
public struct HTTPHeadersInjector: Injector {
    /// Creates the injector.
    public init() {}

    /// Sets the header named `key`, replacing any value it had.
    public func inject(_ value: String, forKey key: String, into carrier: inout HTTPHeaders) {
        carrier.replaceOrAdd(name: key, value: value)
    }
}
