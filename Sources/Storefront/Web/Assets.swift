import Crypto
import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird

/// The stylesheet and scripts of the pages (`Assets/`, resources of this library), read once at
/// start and served from memory with a strong `ETag`, so that the binary works from any
/// directory and a browser revalidates with a 304.
struct Assets: Sendable {
    struct Asset: Sendable {
        let bytes: ByteBuffer
        let contentType: String
        let etag: String
    }

    private let files: [String: Asset]

    /// Loads every file of the bundle's `Assets` folder.
    static func load() throws -> Assets {
        guard let directory = Bundle.module.url(forResource: "Assets", withExtension: nil) else { throw MissingResource(name: "Assets") }
        var files: [String: Asset] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            let etag = "\"" + SHA256.hash(data: data).prefix(12).hexEncoded + "\""
            files[name] = Asset(bytes: ByteBuffer(bytes: data), contentType: contentType(of: name), etag: etag)
        }
        return Assets(files: files)
    }

    /// `GET /assets/{name}`.
    @Sendable func serve(_ request: Request, context: EmporiumRequestContext) throws -> Response {
        guard let name = context.parameters.get("name"), let asset = files[name] else { throw PageError.notFound(what: "that file") }
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
