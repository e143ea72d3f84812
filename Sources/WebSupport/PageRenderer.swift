public import Foundation
public import HTTPTypes
public import Hummingbird
import Mustache

/// Renders a web component's pages from its Mustache templates (a `Templates` folder among the
/// component's resources): each page fills the `layout` template's `content` block. `{{value}}`
/// escapes every value as HTML, so a product named `<script>` shows as text.
public struct PageRenderer: Sendable {
    private let library: MustacheLibrary

    /// Loads the templates of `bundle`'s `Templates` folder (the caller's `Bundle.module`).
    public static func load(from bundle: Bundle) async throws -> PageRenderer {
        guard let directory = bundle.url(forResource: "Templates", withExtension: nil) else {
            throw MissingResource(name: "Templates", bundle: bundle)
        }
        return PageRenderer(library: try await MustacheLibrary(directory: directory.path))
    }

    /// The HTML page `template` with `values`, as a response with `status`.
    public func page(_ template: String, _ values: some Sendable, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let html = library.render(values, withTemplate: template) else { throw MissingResource(name: "\(template).mustache") }
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html))
        )
    }
}

/// A resource a web component ships with is missing from its bundle.
public struct MissingResource: Error, CustomStringConvertible {
    /// The file or folder.
    public let name: String
    /// Where it was looked for.
    public let bundlePath: String?

    init(name: String, bundle: Bundle? = nil) {
        self.name = name
        self.bundlePath = bundle?.bundlePath
    }

    public var description: String { "the resource \(name) is missing" + (bundlePath.map { " from \($0)" } ?? "") }
}
