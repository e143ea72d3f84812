/// The scopes service clients are granted; each names the one kind of call it allows.
public enum ServiceScope {
    /// Create, read, disable and delete accounts at the identity provider (the User Service).
    public static let manageAccounts = "idp.accounts"
    /// Rotate the identity provider's signing keys (operators).
    public static let rotateKeys = "idp.keys"
    /// Read any order (the Payment Service, checking an order's amount and owner before a charge).
    public static let readOrders = "orders.read"
}
