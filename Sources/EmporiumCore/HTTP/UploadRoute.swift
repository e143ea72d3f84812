public import HTTPTypes
public import Hummingbird

/// A route that takes a larger body than its component's limit (`http.max-body-bytes`): an
/// upload, such as a product's image. Every other route keeps the component's limit, so one
/// upload route does not open the JSON routes to large bodies.
public struct UploadRoute: Sendable, Equatable {
    /// The method (`POST`).
    public var method: HTTPRequest.Method
    /// The path, with parameters as `{name}` (`/api/v1/products/{id}/images`).
    public var path: String
    /// The largest body this route accepts, in bytes.
    public var maxBodyBytes: Int

    /// Names an upload route.
    public init(method: HTTPRequest.Method, path: String, maxBodyBytes: Int) {
        self.method = method
        self.path = path
        self.maxBodyBytes = maxBodyBytes
    }

    /// Whether `request` is to this route.
    public func matches(_ request: Request) -> Bool {
        request.method == method
            && RouteTable.pattern(
                path.split(separator: "/", omittingEmptySubsequences: true),
                matches: request.uri.path.split(separator: "/", omittingEmptySubsequences: true))
    }
}
