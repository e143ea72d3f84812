import Crypto
import EmporiumCore
public import Foundation
import HTTPTypes
public import Hummingbird

/// The stylesheets, scripts and icons of a web component's pages (an `Assets` folder among its
/// resources), read once at start and served from memory with a strong `ETag`, so that the binary
/// works from any directory and a browser revalidates with a 304.
public struct StaticAssets: Sendable {
    struct Asset: Sendable {
        let bytes: ByteBuffer
        let contentType: String
        let etag: String
    }

    private let files: [String: Asset]

    /// Loads every file of `bundle`'s `Assets` folder (the caller's `Bundle.module`).
    public static func load(from bundle: Bundle) throws -> StaticAssets {
        guard let directory = bundle.url(forResource: "Assets", withExtension: nil) else { throw MissingResource(name: "Assets", bundle: bundle) }
        var files: [String: Asset] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            let etag = "\"" + SHA256.hash(data: data).prefix(12).hexEncoded + "\""
            files[name] = Asset(bytes: ByteBuffer(bytes: data), contentType: contentType(of: name), etag: etag)
        }
        return StaticAssets(files: files)
    }

    /// The file `name` for `request` (a 304 when the browser has it), or nil when there is none.
    public func response(for name: String, to request: Request) -> Response? {
        guard let asset = files[name] else { return nil }
        var headers: HTTPFields = [.eTag: asset.etag, .cacheControl: "public, max-age=300"]
        if request.headers[values: .ifNoneMatch].contains(where: { $0.split(separator: ",").contains { $0.trimmingWhitespace == asset.etag } }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = asset.contentType
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: asset.bytes))
    }

    private static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last {
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        default: "application/octet-stream"
        }
    }
}
