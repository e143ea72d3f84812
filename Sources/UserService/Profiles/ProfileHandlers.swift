import Contracts
import EmporiumCore
import FluentKit
import Foundation
import Hummingbird

/// Registration (anyone), the signed-in user's own profile, and the user list (admins).
struct ProfileHandlers: Sendable {
    let resources: ServiceResources
    let accounts: IdentityProviderAccounts

    /// Creates the account at the identity provider, then the profile and `UserRegistered` in one
    /// transaction; if that fails, the account is deleted again, so nothing is left half-made.
    @Sendable func registerUser(_ request: Request, context: EmporiumRequestContext) async throws -> EditedResponse<UserProfile> {
        let registration = try ProfileValidation.registration(try await request.decodeJSON(as: Registration.self, context: context))
        let db = resources.database.database(logger: context.logger)
        if try await ProfileRecord.query(on: db).filter(\.$email == registration.email).first() != nil {
            throw Self.emailTaken
        }
        let id: UUID
        switch try await accounts.create(email: registration.email, password: registration.password, name: registration.name, logger: context.logger)
        {
        case .created(let created): id = created
        case .emailTaken: throw Self.emailTaken
        }
        do {
            let profile = try await resources.outbox.transaction { transaction, events in
                let record = try ProfileRecord(id: id, email: registration.email, name: registration.name)
                try await record.create(on: transaction)
                try await events.add(UserRegistered(userId: id.uuidString, email: registration.email, name: registration.name))
                return try record.representation()
            }
            context.logger.info("User registered", metadata: ["user": "\(id)"])
            return EditedResponse(status: .created, headers: [.location: "/api/v1/users/me"], response: profile)
        } catch {
            context.logger.warning("Storing the profile failed; deleting the new account", metadata: ["user": "\(id)", "error": "\(error)"])
            try? await accounts.delete(id: id, logger: context.logger)
            if try await ProfileRecord.query(on: db).filter(\.$email == registration.email).first() != nil { throw Self.emailTaken }
            throw error
        }
    }

    /// The caller's profile.
    @Sendable func me(_ request: Request, context: EmporiumRequestContext) async throws -> UserProfile {
        try await ownProfile(context).representation()
    }

    /// Changes the caller's name or shipping addresses.
    @Sendable func update(_ request: Request, context: EmporiumRequestContext) async throws -> UserProfile {
        let record = try await ownProfile(context)
        let changes = try await request.decodeJSON(as: ProfileChanges.self, context: context)
        if let name = changes.name { record.name = try ProfileValidation.name(name) }
        if let addresses = changes.shippingAddresses { try record.setShippingAddresses(try ProfileValidation.addresses(addresses)) }
        try await record.save(on: resources.database.database(logger: context.logger))
        return try record.representation()
    }

    /// Every profile, a page at a time, for admins.
    @Sendable func list(_ request: Request, context: EmporiumRequestContext) async throws -> Contracts.Page<UserProfile> {
        _ = try context.requireRole(.admin)
        let paging = try PageRequest(query: request.uri.queryParameters)
        let db = resources.database.reader(logger: context.logger)
        let total = try await ProfileRecord.query(on: db).count()
        let records = try await ProfileRecord.query(on: db).sort(\.$email).range(paging.offset..<(paging.offset + paging.perPage)).all()
        return Contracts.Page(items: try records.map { try $0.representation() }, page: paging.page, perPage: paging.perPage, total: total)
    }

    /// The caller's own profile: a token's subject is the profile id.
    private func ownProfile(_ context: EmporiumRequestContext) async throws -> ProfileRecord {
        let principal = try context.requirePrincipal()
        guard let id = UUID(uuidString: principal.subject),
            let record = try await ProfileRecord.find(id, on: resources.database.database(logger: context.logger))
        else {
            throw Problem(.notFound, detail: "There is no profile for this account.")
        }
        return record
    }

    static let emailTaken = Problem(.emailTaken, detail: "An account with this email already exists.", field: "email")
}

extension ProblemType {
    /// Registration with an e-mail that has an account.
    static let emailTaken = ProblemType(slug: "email-taken", title: "The email is already registered", status: .conflict)
}
