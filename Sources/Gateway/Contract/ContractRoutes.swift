import APIContract
import EmporiumCore
import Foundation
import Hummingbird
import NIOCore

extension RouterMethods where Context == EmporiumRequestContext {
    /// Adds `GET /openapi.json`, `GET /openapi.yaml` and `GET /docs`: the public API's contract,
    /// as data and as the reference page, open to anyone and rendered once.
    /// - Parameter document: The contract to serve.
    func addContractRoutes(_ document: APIDocument) {
        let json = ByteBuffer(bytes: document.json)
        let yaml = ByteBuffer(string: document.yaml)
        let page = ByteBuffer(string: APIReferencePage(document).render())
        resource("/openapi.json") { routes in
            routes.get { _, _ in Self.document(json, type: "application/json") }
        }
        resource("/openapi.yaml") { routes in
            routes.get { _, _ in Self.document(yaml, type: "application/yaml") }
        }
        resource("/docs") { routes in
            routes.get { _, _ in Self.document(page, type: "text/html; charset=utf-8") }
        }
    }

    private static func document(_ body: ByteBuffer, type: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: type, .contentLength: String(body.readableBytes), .cacheControl: "public, max-age=300"],
            body: .init(byteBuffer: body)
        )
    }
}
