import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Testing

@testable import Console

/// The console's session lives in the browser, sealed: only a console with the same secret opens
/// it, and neither a changed value nor the other cookie passes for it.
@Suite struct SealedCookieTests {
    struct Value: Codable, Equatable { var name: String }

    static func request(cookie: Cookie) -> Request {
        let head = HTTPRequest(
            method: .get, scheme: "http", authority: "127.0.0.1", path: "/console", headerFields: [.cookie: "\(cookie.name)=\(cookie.value)"])
        return Request(head: head, body: RequestBody(buffer: ByteBuffer()))
    }

    @Test func whatIsSealedOpensOnlyUnderItsNameAndSecret() throws {
        let sessions = SealedCookie<Value>(name: "session", path: "/console", secret: String(repeating: "s", count: 32), secure: false)
        let cookie = try sessions.cookie(Value(name: "Ada"), lifetime: .seconds(60))
        #expect(cookie.httpOnly && cookie.path == "/console")
        #expect(sessions.value(in: Self.request(cookie: cookie)) == Value(name: "Ada"))

        let otherSecret = SealedCookie<Value>(name: "session", path: "/console", secret: String(repeating: "t", count: 32), secure: false)
        #expect(otherSecret.value(in: Self.request(cookie: cookie)) == nil)
        let otherName = SealedCookie<Value>(name: "signin", path: "/console", secret: String(repeating: "s", count: 32), secure: false)
        let renamed = try Cookie.validated(name: "signin", value: cookie.value)
        #expect(otherName.value(in: Self.request(cookie: renamed)) == nil, "one cookie cannot pass for the other")

        var tampered = Array(cookie.value)
        tampered[tampered.count / 2] = tampered[tampered.count / 2] == "A" ? "B" : "A"
        #expect(sessions.value(in: Self.request(cookie: try Cookie.validated(name: "session", value: String(tampered)))) == nil)
    }
}
