import Contracts
import FluentKit
import Foundation

/// The demonstration catalog seeded on the first start of the embedded platform (unless `--no-demo`).
enum DemoCatalog {
    /// SKU, name, description, category, price in cents (EUR), stock.
    static let products: [(String, String, String, String, Int, Int)] = [
        ("KIT-001", "Cast Iron Skillet 26 cm", "Pre-seasoned skillet that goes from hob to oven.", "kitchen", 3_990, 40),
        ("KIT-002", "Chef's Knife 20 cm", "Forged stainless steel with a full tang.", "kitchen", 5_950, 25),
        ("KIT-003", "Pour-Over Coffee Set", "Glass dripper, carafe and 100 paper filters.", "kitchen", 2_890, 60),
        ("KIT-004", "Walnut Cutting Board", "End-grain board, oiled, 40 × 30 cm.", "kitchen", 4_500, 15),
        ("KIT-005", "Enamel Dutch Oven 5 l", "Even heat for stews, bread and braises.", "kitchen", 8_900, 12),
        ("HOM-001", "Linen Duvet Cover", "Stonewashed linen, double size, sand colour.", "home", 11_900, 20),
        ("HOM-002", "Wool Throw", "Merino wool throw, 130 × 170 cm.", "home", 7_450, 18),
        ("HOM-003", "Ceramic Table Lamp", "Hand-glazed base with a linen shade.", "home", 6_800, 10),
        ("HOM-004", "Scented Candle Trio", "Cedar, fig and sea salt, 30 hours each.", "home", 2_400, 80),
        ("OUT-001", "Two-Person Tent", "Freestanding, 2.1 kg, for three seasons.", "outdoors", 18_900, 8),
        ("OUT-002", "Insulated Bottle 750 ml", "Keeps drinks cold for 24 hours.", "outdoors", 2_950, 120),
        ("OUT-003", "Trail Running Shoes", "Grippy outsole and a rock plate.", "outdoors", 12_900, 30),
        ("OUT-004", "Headlamp 400 lm", "Rechargeable, red night mode, IPX4.", "outdoors", 3_490, 45),
        ("BOO-001", "The Pragmatic Pantry", "Cooking from what the shelf already holds.", "books", 2_200, 50),
        ("BOO-002", "Maps of Quiet Places", "Illustrated walks through twelve valleys.", "books", 2_750, 35),
        ("BOO-003", "Distributed Systems, Gently", "Consensus and queues for the curious.", "books", 3_900, 22),
        ("ELE-001", "Wireless Earbuds", "Active noise cancelling, 24 h with the case.", "electronics", 9_900, 40),
        ("ELE-002", "Mechanical Keyboard", "Hot-swappable switches, aluminium case.", "electronics", 14_900, 14),
        ("ELE-003", "USB-C Charger 65 W", "Three ports, folds flat for travel.", "electronics", 4_490, 70),
        ("ELE-004", "E-Ink Reader", "Glare-free 7-inch screen, weeks per charge.", "electronics", 13_900, 16),
        ("GAR-001", "Herb Planter Box", "Cedar box with drainage, 60 cm.", "garden", 3_900, 24),
        ("GAR-002", "Pruning Shears", "Bypass blades for stems up to 2 cm.", "garden", 2_650, 55),
        ("GAR-003", "Heirloom Tomato Seeds", "Five varieties, 20 seeds each.", "garden", 990, 200),
        ("GAR-004", "Watering Can 5 l", "Galvanised steel with a brass rose.", "garden", 4_200, 0),
    ]

    /// The fixed id of the demo product at `index` (`00000000-0000-4000-8000-0000000D0001` is
    /// KIT-001), so that the API's documented examples name real products on every demo platform.
    static func id(ofProductAt index: Int) -> UUID {
        let number = String(index + 1)
        return UUID(uuidString: "00000000-0000-4000-8000-0000000D" + String(repeating: "0", count: 4 - number.count) + number)!
    }

    /// Seeds the catalog only when it has no products at all, so that a restart never duplicates it.
    static func seedIfEmpty(_ database: any Database) async throws {
        try await database.transaction { transaction in
            guard try await ProductRecord.query(on: transaction).count() == 0 else { return }
            for (index, (sku, name, description, category, cents, stock)) in products.enumerated() {
                let record = ProductRecord(
                    id: id(ofProductAt: index),
                    sku: sku,
                    name: name,
                    description: description,
                    category: category,
                    price: Money(amount: cents, currency: "EUR"),
                    stock: stock
                )
                try await record.create(on: transaction)
            }
        }
    }
}
