import Contracts

/// Money as a customer reads it: the currency's own number of decimals, its symbol where it has a
/// common one (`€1,234.50`), else its code (`1,234.50 CHF`). Integer arithmetic only.
enum MoneyFormat {
    /// ISO 4217 minor-unit exponents that are not 2.
    static let exponents: [String: Int] = ["JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "BHD": 3, "JOD": 3, "KWD": 3, "OMR": 3, "TND": 3]
    static let symbols: [String: String] = ["EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"]

    static func string(_ money: Money) -> String {
        let code = money.currency.uppercased()
        let exponent = exponents[code] ?? 2
        let magnitude = money.amount.magnitude
        var divisor: UInt = 1
        for _ in 0..<exponent { divisor *= 10 }
        let units = String(magnitude / divisor)
        // Thousands separated by commas, counted from the right.
        var grouped = ""
        for (index, digit) in units.reversed().enumerated() {
            if index > 0, index % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        var number = String(grouped.reversed())
        if exponent > 0 {
            let fraction = String(magnitude % divisor)
            number += "." + String(repeating: "0", count: exponent - fraction.count) + fraction
        }
        let sign = money.amount < 0 ? "-" : ""
        if let symbol = symbols[code] { return sign + symbol + number }
        return sign + number + " " + code
    }
}
