import AsyncHTTPClient
import NIOHTTP1
package import Tracing

/// The attributes of an outbound call's span, by OpenTelemetry's HTTP conventions.
package enum ClientSpanAttributes {
    /// What the request says: method, URL, server and the dependency called.
    static func describe(_ span: some Span, request: HTTPClientRequest, dependency: String?) {
        describe(span, method: request.method.rawValue, url: request.url, dependency: dependency)
    }

    /// What a request says, read from its parts (the gateway's forwarder sends no `HTTPClientRequest`).
    package static func describe(_ span: some Span, method: String, url: String, dependency: String?) {
        let (server, port) = authority(of: url)
        span.updateAttributes { attributes in
            attributes["http.request.method"] = method
            attributes["url.full"] = url
            attributes["server.address"] = server
            attributes["server.port"] = port
            attributes["peer.service"] = dependency ?? "\(server):\(port)"
        }
    }

    /// What a call to `url` names as its peer when the caller names no dependency: `host:port`.
    static func peer(of url: String) -> String {
        let (server, port) = authority(of: url)
        return "\(server):\(port)"
    }

    /// The host and port of an absolute `http(s)` URL, read without Foundation's parser (which
    /// showed in the checkout's profile at one call per outbound request).
    package static func authority(of url: String) -> (host: String, port: Int) {
        let https = url.hasPrefix("https://")
        guard https || url.hasPrefix("http://") else { return ("", 0) }
        let rest = url.dropFirst(https ? 8 : 7)
        let authority = rest[..<(rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex)]
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {  // an IPv6 literal
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            let port = authority[authority.index(after: close)...].dropFirst()
            return (host, Int(port) ?? (https ? 443 : 80))
        }
        guard let colon = authority.lastIndex(of: ":") else { return (String(authority), https ? 443 : 80) }
        return (String(authority[..<colon]), Int(authority[authority.index(after: colon)...]) ?? (https ? 443 : 80))
    }

    /// What the answer says: its status, an error from 500 on.
    static func describe(_ span: some Span, response: HTTPClientResponse) {
        describe(span, status: Int(response.status.code))
    }

    /// The answer's status; from 500 on, the span is an error.
    package static func describe(_ span: some Span, status: Int) {
        span.attributes["http.response.status_code"] = status
        if status >= 500 {
            span.attributes["error.type"] = String(status)
            span.setStatus(SpanStatus(code: .error))
        }
    }
}
