import EmporiumCore
import HTTPTypes
import Hummingbird
import NIOHTTP1

/// Which headers cross the gateway, in each direction.
enum ForwardedHeaders {
    /// Request headers passed upstream: what the services need to authorise, de-duplicate, trace
    /// and negotiate. Everything else (cookies, hop-by-hop headers) stops at the gateway.
    static let requestAllowList: [HTTPField.Name] = [
        .authorization, .idempotencyKey, .accept, .acceptLanguage, .contentType, .contentLength,
        .ifMatch, .ifNoneMatch, .userAgent, HTTPField.Name("tracestate")!,
    ]

    /// Request headers passed to the web pages: a browser's, with its session cookie and where the
    /// request comes from (`Origin`, `Sec-Fetch-Site`: the console refuses another site's forms),
    /// without `Authorization` (the storefront holds the tokens; a page never takes one).
    static let webRequestAllowList: [HTTPField.Name] = [
        .cookie, .accept, .acceptLanguage, .contentType, .contentLength, .ifNoneMatch, .userAgent, HTTPField.Name("tracestate")!,
        HTTPField.Name("Origin")!, HTTPField.Name("Sec-Fetch-Site")!,
    ]

    /// Response headers that describe one connection, not the response (RFC 9110 §7.6.1).
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
        "proxy-authenticate", "proxy-authorization",
    ]

    /// The upstream request's headers. `X-Request-Id` and `traceparent` are added by the
    /// outbound client from the gateway's own span.
    static func upstreamRequest(from headers: HTTPFields, clientAddress: String?, kind: GatewayRoute.Kind = .api) -> HTTPHeaders {
        var result = HTTPHeaders()
        for name in kind == .web ? webRequestAllowList : requestAllowList {
            for value in headers[values: name] {
                result.add(name: name.canonicalName, value: value)
            }
        }
        if let clientAddress {
            let forwardedFor = headers[.init("X-Forwarded-For")!].map { "\($0), \(clientAddress)" } ?? clientAddress
            result.add(name: "X-Forwarded-For", value: forwardedFor)
        }
        return result
    }

    /// The client's response headers: everything the upstream said, less hop-by-hop headers.
    static func clientResponse(from headers: HTTPHeaders) -> HTTPFields {
        var result = HTTPFields()
        for (name, value) in headers where !hopByHop.contains(name.lowercased()) {
            if let field = HTTPField.Name(name) {
                result.append(HTTPField(name: field, value: value))
            }
        }
        return result
    }
}
