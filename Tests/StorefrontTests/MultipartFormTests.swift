import Foundation
import Testing

@testable import Storefront

/// The back office's upload form as a browser sends it: its text fields and its file, read from
/// the bytes between the boundaries; anything else is no form.
@Suite struct MultipartFormTests {
    static let boundary = "----WebKitFormBoundaryQ2x7"

    /// A body as Chromium writes it: each part's headers, a blank line, its bytes.
    static func body(_ parts: [(headers: String, bytes: Data)], closed: Bool = true) -> Data {
        var body = Data()
        for part in parts {
            body.append(Data("--\(boundary)\r\n\(part.headers)\r\n\r\n".utf8))
            body.append(part.bytes)
            body.append(Data("\r\n".utf8))
        }
        if closed { body.append(Data("--\(boundary)--\r\n".utf8)) }
        return body
    }

    @Test func readsTheTextFieldsAndTheFileWithItsBytesUntouched() throws {
        let picture = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x0D, 0x0A, 0x2D, 0x2D, 0xFF])
        let body = Self.body([
            (#"Content-Disposition: form-data; name="csrf""#, Data("token-1".utf8)),
            (#"Content-Disposition: form-data; name="picture"; filename="a;b.png""# + "\r\nContent-Type: image/png", picture),
            (#"Content-Disposition: form-data; name="alt""#, Data("Two lines\r\nof text".utf8)),
        ])
        let form = try #require(MultipartForm.parse(body, boundary: Self.boundary))
        #expect(form["csrf"] == "token-1")
        #expect(form["alt"] == "Two lines\r\nof text")
        let file = try #require(form.file("picture"))
        #expect(file.filename == "a;b.png", "a semicolon inside quotes belongs to the name")
        #expect(file.contentType == "image/png")
        #expect(file.bytes == picture, "newlines and dashes inside a file are its own bytes")
        #expect(form["picture"] == nil, "a file is no text field")
    }

    @Test func anEmptyFileInputIsNoFile() throws {
        let body = Self.body([
            (#"Content-Disposition: form-data; name="picture"; filename="""# + "\r\nContent-Type: application/octet-stream", Data())
        ])
        let form = try #require(MultipartForm.parse(body, boundary: Self.boundary))
        #expect(form.file("picture") == nil)
    }

    @Test func theBoundaryComesFromTheContentTypeQuotedOrNot() {
        #expect(MultipartForm.boundary(ofContentType: "multipart/form-data; boundary=\(Self.boundary)") == Self.boundary)
        #expect(MultipartForm.boundary(ofContentType: #"Multipart/Form-Data; charset=utf-8; BOUNDARY="a b""#) == "a b")
        #expect(MultipartForm.boundary(ofContentType: "application/x-www-form-urlencoded") == nil)
        #expect(MultipartForm.boundary(ofContentType: "multipart/form-data") == nil)
        #expect(MultipartForm.boundary(ofContentType: "multipart/form-data; boundary=" + String(repeating: "x", count: 71)) == nil)
    }

    @Test func whatIsNoCompleteFormIsRefused() {
        let field = (#"Content-Disposition: form-data; name="alt""#, Data("text".utf8))
        #expect(MultipartForm.parse(Self.body([field], closed: false), boundary: Self.boundary) == nil, "no closing boundary")
        #expect(MultipartForm.parse(Self.body([field]), boundary: "another") == nil, "another boundary")
        #expect(MultipartForm.parse(Self.body([("Content-Type: text/plain", Data("x".utf8))]), boundary: Self.boundary) == nil, "a part with no name")
        #expect(MultipartForm.parse(Self.body([(#"Content-Disposition: attachment; name="x""#, Data())]), boundary: Self.boundary) == nil)
        let many = Array(repeating: field, count: MultipartForm.maxParts + 1)
        #expect(MultipartForm.parse(Self.body(many), boundary: Self.boundary) == nil, "more parts than any form of ours")
        #expect(MultipartForm.parse(Data(), boundary: Self.boundary) == nil)
    }
}
