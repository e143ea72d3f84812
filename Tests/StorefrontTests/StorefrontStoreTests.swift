import EmporiumCore
import Foundation
import Logging
import SQLKit
import Testing

@testable import Storefront

/// The storefront's own database: carts, sessions and sign-ins under way, on SQLite in memory.
@Suite(.timeLimit(.minutes(1))) struct StorefrontStoreTests {
    static let lamp = "00000000-0000-4000-8000-0000000D0002"
    static let mug = "00000000-0000-4000-8000-0000000D0003"

    static func withDatabase(_ body: (ServiceDatabase) async throws -> Void) async throws {
        let database = try await ServiceDatabase.open(
            .sqliteMemory, migrations: [CreateCartLines(), CreateSessions()], logger: Logger(label: "test"))
        do {
            try await body(database)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }

    @Test func aCartHoldsAtMostWhatOneOrderLineMayAskForAndZeroRemovesALine() async throws {
        try await Self.withDatabase { database in
            let carts = CartStore(database: database)
            let owner = CartOwner.visitor(sessionKey: "a")
            #expect(try await carts.add(60, of: Self.lamp, to: owner) == 60)
            #expect(try await carts.add(60, of: Self.lamp, to: owner) == CartStore.maxQuantity)
            try await carts.add(1, of: Self.mug, to: owner)
            #expect(try await carts.unitCount(of: owner) == 101)
            try await carts.setQuantity(0, of: Self.lamp, in: owner)
            #expect(try await carts.lines(of: owner) == [StoredCartLine(productID: Self.mug, quantity: 1)])
            #expect(try await carts.unitCount(of: .visitor(sessionKey: "someone else")) == 0)
        }
    }

    @Test func signingInMovesTheVisitorsCartIntoTheCustomersAddingWhatBothHold() async throws {
        try await Self.withDatabase { database in
            let carts = CartStore(database: database)
            let visitor = CartOwner.visitor(sessionKey: "v")
            let customer = CartOwner.customer("C")
            try await carts.add(2, of: Self.lamp, to: visitor)
            try await carts.add(1, of: Self.mug, to: visitor)
            try await carts.add(3, of: Self.lamp, to: customer)
            try await carts.merge(visitor, into: customer)
            #expect(try await carts.unitCount(of: visitor) == 0)
            let lines = try await carts.lines(of: customer)
            #expect(Set(lines.map(\.productID)) == [Self.lamp, Self.mug])
            #expect(lines.first { $0.productID == Self.lamp }?.quantity == 5)
        }
    }

    @Test func aSignInFinishesOnceAndOnlyInTime() async throws {
        try await Self.withDatabase { database in
            let sessions = SessionStore(database: database, idleLifetime: .seconds(3600))
            try await sessions.start(state: "state", sessionKey: "k", nonce: "n", codeVerifier: "v", returnTo: "/cart")
            let pending = try #require(try await sessions.finish(state: "state"))
            #expect(pending.sessionHash == "k" && pending.returnTo == "/cart")
            #expect(try await sessions.finish(state: "state") == nil, "a state works once")
            try await database.transaction { database in
                try await database.sql.raw(
                    "INSERT INTO sign_ins VALUES ('\(unsafeRaw: SessionCookie.storageKey(of: "old"))', 'k', 'n', 'v', '/', 0)"
                ).run()
            }
            #expect(try await sessions.finish(state: "old") == nil, "a sign-in started too long ago is refused")
        }
    }

    @Test func theSweeperRemovesIdleSessionsAndExpiredVisitorsCartsOnly() async throws {
        try await Self.withDatabase { database in
            let sessions = SessionStore(database: database, idleLifetime: .seconds(3600))
            let carts = CartStore(database: database)
            let now = Date().timeIntervalSince1970
            func customer(_ subject: String, seenAt: Double) -> SignedInCustomer {
                SignedInCustomer(
                    subject: subject, displayName: "N", email: "e@example.com", roles: "customer", accessToken: "a", refreshToken: nil,
                    idToken: "i", accessExpiresAt: now + 600, seenAt: seenAt)
            }
            try await sessions.signIn(sessionKey: "fresh", as: customer("F", seenAt: now))
            try await sessions.signIn(sessionKey: "idle", as: customer("I", seenAt: now - 7200))
            try await carts.add(1, of: Self.lamp, to: .visitor(sessionKey: "recent"))
            try await carts.add(1, of: Self.lamp, to: .customer("old customer"))
            try await database.transaction { database in
                try await database.sql.raw(
                    "INSERT INTO cart_lines (owner, product_id, quantity, added_at) VALUES ('visitor:gone', \(bind: Self.mug), 1, \(bind: now - 7200))"
                ).run()
                try await database.sql.raw("UPDATE cart_lines SET added_at = \(bind: now - 7200) WHERE owner = 'customer:old customer'").run()
            }
            _ = try await SessionSweeper(database: database, idleLifetime: .seconds(3600)).pass()
            #expect(try await sessions.customer(sessionKey: "fresh") != nil)
            #expect(try await database.reader().sql.count("SELECT COUNT(*) AS count FROM sessions WHERE id_hash = 'idle'") == 0)
            #expect(try await carts.unitCount(of: .visitor(sessionKey: "recent")) == 1)
            #expect(try await carts.unitCount(of: .visitor(sessionKey: "gone")) == 0)
            #expect(try await carts.unitCount(of: .customer("old customer")) == 1, "a customer's cart waits for them")
        }
    }
}
