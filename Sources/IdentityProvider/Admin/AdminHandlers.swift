import Contracts
import EmporiumCore
import Foundation
public import Hummingbird
import Logging

/// The admin API, for services holding the right client credential: create, read, disable and
/// delete accounts (`idp.accounts`), rotate the signing keys (`idp.keys`).
struct AdminHandlers: Sendable {
    let accounts: AccountStore
    let refreshTokens: RefreshTokenStore
    let keyring: SigningKeyring

    @Sendable func create(_ request: Request, context: EmporiumRequestContext) async throws -> EditedResponse<AccountRepresentation> {
        _ = try context.requireScope(ServiceScope.manageAccounts)
        let new = try await request.decodeJSON(as: NewAccount.self, context: context)
        if let problem = CredentialPolicy.emailProblem(new.email) {
            throw Problem(.invalidField, detail: "The email \(problem).", field: "email")
        }
        if let problem = CredentialPolicy.passwordProblem(new.password, email: new.email) {
            throw Problem(.invalidField, detail: "The password \(problem).", field: "password")
        }
        let roles = new.roles ?? [Role.customer.rawValue]
        if let unknown = roles.first(where: { ![Role.customer.rawValue, Role.admin.rawValue].contains($0) }) {
            throw Problem(.invalidField, detail: "There is no role \(unknown); use customer or admin.", field: "roles")
        }
        guard let account = try await accounts.create(new) else {
            throw Problem(.accountExists, detail: "An account with this email already exists.", field: "email")
        }
        return EditedResponse(status: .created, headers: [.location: "/admin/accounts/\(account.id)"], response: account.representation)
    }

    @Sendable func show(_ request: Request, context: EmporiumRequestContext) async throws -> AccountRepresentation {
        _ = try context.requireScope(ServiceScope.manageAccounts)
        let id = try context.parameters.requireUUID("id", naming: "account")
        guard let account = try await accounts.find(id: id) else { throw Problem(.notFound, detail: "There is no account \(id).") }
        return account.representation
    }

    @Sendable func disable(_ request: Request, context: EmporiumRequestContext) async throws -> AccountRepresentation {
        _ = try context.requireScope(ServiceScope.manageAccounts)
        let id = try context.parameters.requireUUID("id", naming: "account")
        guard try await accounts.disable(id: id), let account = try await accounts.find(id: id) else {
            throw Problem(.notFound, detail: "There is no account \(id).")
        }
        try await refreshTokens.revokeAll(account: id)
        return account.representation
    }

    @Sendable func delete(_ request: Request, context: EmporiumRequestContext) async throws -> HTTPResponse.Status {
        _ = try context.requireScope(ServiceScope.manageAccounts)
        let id = try context.parameters.requireUUID("id", naming: "account")
        try await refreshTokens.revokeAll(account: id)
        guard try await accounts.delete(id: id) else { throw Problem(.notFound, detail: "There is no account \(id).") }
        return .noContent
    }

    struct RotationResult: ResponseEncodable {
        var activeKid: String
        var nextKid: String
    }

    @Sendable func rotate(_ request: Request, context: EmporiumRequestContext) async throws -> RotationResult {
        _ = try context.requireScope(ServiceScope.rotateKeys)
        let (active, next) = try await keyring.rotate()
        context.logger.notice("Signing keys rotated", metadata: ["active": "\(active)", "next": "\(next)"])
        return RotationResult(activeKid: active, nextKid: next)
    }
}

extension AccountRepresentation: ResponseEncodable {}

extension ProblemType {
    /// The e-mail of a new account is taken.
    static let accountExists = ProblemType(slug: "account-exists", title: "The account already exists", status: .conflict)
}
