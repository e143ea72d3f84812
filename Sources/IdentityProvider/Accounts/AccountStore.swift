import Contracts
import EmporiumCore
import FluentKit
import Foundation
import Logging
import SQLKit

/// The provider's accounts: creation, lookup, disabling, and password checks with the
/// failed-login throttle.
struct AccountStore: Sendable {
    let database: ServiceDatabase
    let hasher: PasswordHasher
    let throttle: LoginThrottle

    private var sql: any SQLDatabase { get throws { try database.database().sql } }

    /// The result of a password check.
    enum LoginOutcome {
        case success(AccountRow)
        case wrongCredentials
        case locked(until: Int)
        case disabled
    }

    /// Creates an account; nil if the e-mail is taken.
    func create(_ new: NewAccount, hashCost: UInt8? = nil) async throws -> AccountRow? {
        let hash = try await (hashCost.map { PasswordHasher(cost: $0) } ?? hasher).hash(new.password)
        let row = AccountRow(
            id: new.id ?? UUID(),
            email: new.email.lowercased(),
            password_hash: hash,
            name: new.name,
            roles: (new.roles ?? [Role.customer.rawValue]).joined(separator: " "),
            disabled: false,
            failed_logins: 0,
            locked_until: nil
        )
        let inserted = try await sql.raw(
            """
            INSERT INTO accounts (id, email, password_hash, name, roles, disabled, failed_logins, created_at)
            VALUES (\(bind: row.id), \(bind: row.email), \(bind: row.password_hash), \(bind: row.name), \(bind: row.roles), \(bind: false), 0, \(bind: Self.now()))
            ON CONFLICT (email) DO NOTHING RETURNING id
            """
        ).first()
        return inserted == nil ? nil : row
    }

    /// Sets the password and roles of an existing account (demo accounts at every start).
    func reset(id: UUID, passwordHash: String, roles: [String]) async throws {
        try await sql.update("accounts")
            .set("password_hash", to: SQLBind(passwordHash)).set("roles", to: SQLBind(roles.joined(separator: " ")))
            .set("disabled", to: SQLBind(false)).set("failed_logins", to: SQLBind(0)).set("locked_until", to: SQLLiteral.null)
            .where("id", .equal, SQLBind(id))
            .run()
    }

    func find(id: UUID) async throws -> AccountRow? {
        try await sql.select().column("*").from("accounts").where("id", .equal, SQLBind(id)).first(decoding: AccountRow.self)
    }

    func find(email: String) async throws -> AccountRow? {
        try await sql.select().column("*").from("accounts").where("email", .equal, SQLBind(email.lowercased())).first(decoding: AccountRow.self)
    }

    /// Disables an account; false if there is none.
    func disable(id: UUID) async throws -> Bool {
        try await sql.raw("UPDATE accounts SET disabled = \(bind: true) WHERE id = \(bind: id) RETURNING id").first() != nil
    }

    /// Deletes an account; false if there is none.
    func delete(id: UUID) async throws -> Bool {
        try await sql.raw("DELETE FROM accounts WHERE id = \(bind: id) RETURNING id").first() != nil
    }

    /// Checks a login, counting failures and locking the account after too many in a row.
    ///
    /// The failure counter moves in one conditional `UPDATE … RETURNING`, so that concurrent
    /// attempts against one account are all counted.
    func login(email: String, password: String) async throws -> LoginOutcome {
        guard let account = try await find(email: email) else {
            _ = try await hasher.verify(password, against: PasswordHasher.decoyHash)
            return .wrongCredentials
        }
        let now = Self.now()
        if let lockedUntil = account.locked_until, lockedUntil > now { return .locked(until: lockedUntil) }
        if account.disabled { return .disabled }
        if try await hasher.verify(password, against: account.password_hash) {
            if account.failed_logins > 0 || account.locked_until != nil {
                try await sql.raw("UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = \(bind: account.id)").run()
            }
            return .success(account)
        }
        let failures =
            try await sql.raw(
                "UPDATE accounts SET failed_logins = failed_logins + 1 WHERE id = \(bind: account.id) RETURNING failed_logins"
            ).first(decodingColumn: "failed_logins", as: Int.self) ?? 1
        if failures >= throttle.maxFailures {
            let until = now + Int(throttle.lockDuration.components.seconds)
            try await sql.raw("UPDATE accounts SET failed_logins = 0, locked_until = \(bind: until) WHERE id = \(bind: account.id)").run()
            return .locked(until: until)
        }
        try await Task.sleep(for: throttle.delay(afterFailures: failures))
        return .wrongCredentials
    }

    /// A page of accounts, by e-mail.
    func list(offset: Int, limit: Int) async throws -> [AccountRow] {
        try await sql.select().column("*").from("accounts").orderBy("email").offset(offset).limit(limit).all(decoding: AccountRow.self)
    }

    static func now() -> Int { Int(Date().timeIntervalSince1970) }
}
