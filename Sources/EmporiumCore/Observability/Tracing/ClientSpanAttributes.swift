import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Tracing

/// The attributes of an outbound call's span, by OpenTelemetry's HTTP conventions.
enum ClientSpanAttributes {
    /// What the request says: method, URL, server and the dependency called.
    static func describe(_ span: some Span, request: HTTPClientRequest, dependency: String?) {
        let url = URL(string: request.url)
        let server = url?.host ?? ""
        let port = url?.port ?? (url?.scheme == "https" ? 443 : 80)
        span.updateAttributes { attributes in
            attributes["http.request.method"] = request.method.rawValue
            attributes["url.full"] = request.url
            attributes["server.address"] = server
            attributes["server.port"] = port
            attributes["peer.service"] = dependency ?? "\(server):\(port)"
        }
    }

    /// What the answer says: its status, an error from 500 on.
    static func describe(_ span: some Span, response: HTTPClientResponse) {
        let status = Int(response.status.code)
        span.attributes["http.response.status_code"] = status
        if status >= 500 {
            span.attributes["error.type"] = String(status)
            span.setStatus(SpanStatus(code: .error))
        }
    }
}
