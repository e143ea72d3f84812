import Contracts

/// Deterministic prices: by zone (domestic Germany, the EU, the world) and weight, for the
/// standard and express services. The same parcel to the same place always costs the same.
enum RateTable {
    static let carrier = "Emporium Post"
    static let shipFrom = "DE"
    static let eu: Set<String> = [
        "AT", "BE", "BG", "CY", "CZ", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT",
        "RO", "SE", "SI", "SK",
    ]
    static let maxWeightGrams = 31_500

    /// Standard and express rates, cheapest first.
    static func rates(country: String, weightGrams: Int) -> [Rate] {
        let (base, perKilogram, days): (Int, Int, Int) =
            country == shipFrom ? (490, 50, 2) : eu.contains(country) ? (990, 150, 4) : (2_490, 450, 8)
        let kilograms = (weightGrams + 999) / 1000
        let standard = base + perKilogram * max(0, kilograms - 1)
        return [
            Rate(service: "standard", carrier: carrier, amount: Money(amount: standard, currency: "EUR"), estimatedDays: days),
            Rate(service: "express", carrier: carrier, amount: Money(amount: standard * 2 + 500, currency: "EUR"), estimatedDays: max(1, days / 2)),
        ]
    }
}
