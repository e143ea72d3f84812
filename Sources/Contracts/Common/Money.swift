/// An amount of money: integer minor units and an ISO 4217 currency code — never floating point.
public struct Money: Codable, Sendable, Hashable {
    /// The amount in the currency's minor unit (cents for USD and EUR).
    public var amount: Int
    /// The ISO 4217 code, upper case (`EUR`).
    public var currency: String

    /// Creates an amount.
    public init(amount: Int, currency: String) {
        self.amount = amount
        self.currency = currency
    }
}
