import Foundation

/// Amounts as a shopper reads them: the currency's symbol and its minor unit's digits
/// (`€39.90`, `JP¥500`), the same on every page.
enum MoneyText {
    /// `amount` minor units of `currency` (ISO 4217).
    static func format(_ amount: Int, currency: String) -> String {
        let value = Decimal(amount) / pow(10, Self.minorDigits(of: currency))
        return value.formatted(.currency(code: currency).locale(Self.locale))
    }

    /// Euro cents as a form field shows them to be edited (`1290` → `12.90`).
    static func plain(_ cents: Int) -> String {
        "\(cents / 100).\(String(format: "%02d", cents % 100))"
    }

    /// Minor units of `currency` in `text` written as a shopper would (`12`, `12.5`, `12.50`), or
    /// nil when it is not such an amount.
    static func minorUnits(of text: String, currency: String) -> Int? {
        let digits = minorDigits(of: currency)
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int(parts[0]), whole >= 0, parts[0].allSatisfy(\.isASCII),
            parts[0].count <= 9
        else { return nil }
        var fraction = 0
        if parts.count == 2 {
            let written = parts[1]
            guard !written.isEmpty, written.count <= digits, written.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(written) else {
                return nil
            }
            fraction = value * Int(pow(10, Double(digits - written.count)))
        }
        return whole * Int(pow(10, Double(digits))) + fraction
    }

    /// The minor-unit digits of the currencies the shop may meet; two for every other.
    private static func minorDigits(of currency: String) -> Int {
        ["JPY": 0, "KRW": 0, "ISK": 0, "BHD": 3, "KWD": 3, "JOD": 3][currency] ?? 2
    }

    /// One locale for every page, so that amounts read the same everywhere.
    private static let locale = Locale(identifier: "en_IE")
}
