public import HTTPTypes

extension HTTPField.Name {
    /// `X-Request-Id`: one id per client request, carried across every hop and into the logs.
    public static let requestID = HTTPField.Name("X-Request-Id")!
    /// `traceparent` (W3C Trace Context).
    public static let traceparent = HTTPField.Name("traceparent")!
    /// `Idempotency-Key`: makes a retried POST safe.
    public static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}
