import AsyncHTTPClient
import EmporiumCore
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// A browser that follows no redirect by itself and keeps every cookie it is given, so that
/// each step of the code flow can be seen.
final class CodeFlowBrowser {
    let gateway: String
    private let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
    private var cookies: [String: String] = [:]

    init(gateway: String) { self.gateway = gateway }

    func shutdown() async throws { try await client.shutdown() }

    /// Runs `body` with a new browser, shut down afterwards whatever happens.
    static func using(gateway: String, _ body: (CodeFlowBrowser) async throws -> Void) async throws {
        let browser = CodeFlowBrowser(gateway: gateway)
        do {
            try await body(browser)
        } catch {
            try await browser.shutdown()
            throw error
        }
        try await browser.shutdown()
    }

    /// Sends one request to `target` (a path on the gateway or an absolute URL).
    func send(_ method: HTTPMethod, _ target: String, form: [String: String]? = nil) async throws -> TestResponse {
        var request = HTTPClientRequest(url: target.hasPrefix("http") ? target : gateway + target)
        request.method = method
        if !cookies.isEmpty { request.headers.add(name: "Cookie", value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: FormEncoding.encode(form)))
        }
        let response = try await client.execute(request, timeout: .seconds(15))
        let body = try await response.body.collect(upTo: 1 << 20)
        for set in response.headers["set-cookie"] {
            let pair = set.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { cookies[pair[0]] = pair[1] }
        }
        return TestResponse(status: Int(response.status.code), headers: response.headers, body: Data(body.readableBytesView))
    }

    /// Follows redirects from `response`, as a browser does, and answers the last page.
    func follow(_ response: TestResponse) async throws -> TestResponse {
        var current = response
        for _ in 0..<5 {
            guard [302, 303].contains(current.status), let location = current.headers.first(name: "location") else { return current }
            current = try await send(.GET, location)
        }
        return current
    }

    /// Signs in through the provider's page, starting at the storefront's sign-in link (or `start`).
    func signIn(email: String, password: String, returnTo: String, start: String? = nil) async throws -> TestResponse {
        let form = try await follow(try await send(.GET, start ?? "/session/signin?return=\(returnTo)"))
        #expect(form.status == 200, "the provider's sign-in page")
        let html = String(decoding: form.body, as: UTF8.self)
        var fields = ["email": email, "password": password]
        for match in html.matches(of: /<input type="hidden" name="([^"]+)" value="([^"]*)">/) {
            fields[String(match.1)] = String(match.2).replacingOccurrences(of: "&amp;", with: "&")
        }
        return try await follow(try await send(.POST, "/auth/authorize", form: fields))
    }
}
