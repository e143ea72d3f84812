public import Hummingbird

extension Request {
    /// The query as an HTML form sends it (`a+b` is `a b`), the first value of each name: what a
    /// browser's GET form and most OAuth clients mean, which Hummingbird's `queryParameters`
    /// (RFC 3986, where `+` is a plus) does not decode.
    public var formQuery: [String: String] {
        FormEncoding.decode(uri.query ?? "").compactMapValues(\.first)
    }
}
