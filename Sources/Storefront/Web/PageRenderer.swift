import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// Renders the storefront's pages from its Mustache templates (`Templates/*.mustache`, resources
/// of this library): each page fills the `layout` template's `content` block. `{{value}}` escapes
/// every value as HTML, so a product named `<script>` shows as text.
struct PageRenderer: Sendable {
    private let library: MustacheLibrary

    /// Loads the built-in templates.
    static func load() async throws -> PageRenderer {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw MissingResource(name: "Templates")
        }
        return PageRenderer(library: try await MustacheLibrary(directory: directory.path))
    }

    /// The HTML page `template` with `values`, as a response with `status`.
    func page(_ template: String, _ values: some Sendable, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let html = library.render(values, withTemplate: template) else { throw MissingResource(name: "\(template).mustache") }
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html))
        )
    }
}

/// A resource the storefront ships with is missing from its bundle.
struct MissingResource: Error, CustomStringConvertible {
    let name: String
    var description: String { "the storefront's resource \(name) is missing" }
}
