import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `POST /token`: the OAuth 2.0 token endpoint, with the authorization_code (PKCE), password,
/// refresh_token and client_credentials grants. A grant with the `openid` scope for a person
/// also answers an ID token.
struct TokenEndpoint: Sendable {
    let settings: IdentityProviderSettings
    let accounts: AccountStore
    let refreshTokens: RefreshTokenStore
    let codes: AuthorizationCodeStore
    let keyring: SigningKeyring

    /// Answers a token request: a token response, or an RFC 6749 error body.
    @Sendable func respond(to request: Request, context: EmporiumRequestContext) async throws -> Response {
        do {
            let form = try await Self.form(of: request, context: context)
            let client = try authenticateClient(request: request, form: form)
            guard let grantName = form["grant_type"] else { throw OAuthError(.invalidRequest, "grant_type is required") }
            guard let grant = RegisteredClient.Grant(rawValue: grantName) else {
                throw OAuthError(.unsupportedGrantType, "the grant type \(grantName) is not supported")
            }
            guard client.grants.contains(grant) else {
                throw OAuthError(.unauthorizedClient, "the client \(client.id) may not use the \(grantName) grant")
            }
            let answer: TokenResponse
            switch grant {
            case .authorizationCode: answer = try await authorizationCodeGrant(form: form, client: client)
            case .password: answer = try await passwordGrant(form: form, client: client)
            case .refreshToken: answer = try await refreshGrant(form: form, client: client)
            case .clientCredentials: answer = try await clientCredentialsGrant(form: form, client: client)
            }
            let body = try JSONEncoder().encode(answer)
            return Response(
                status: .ok,
                headers: [.contentType: "application/json", .cacheControl: "no-store", HTTPField.Name("Pragma")!: "no-cache"],
                body: .init(byteBuffer: ByteBuffer(bytes: body))
            )
        } catch let error as OAuthError {
            context.logger.info("Token request refused", metadata: ["error": "\(error.code.rawValue)", "reason": "\(error.description)"])
            return try error.response(from: request, context: context)
        }
    }

    // MARK: Grants
    //
    // An account's subject is its id as every Emporium API prints a UUID (upper-case), so that a
    // client can compare `sub` with the `id` of its profile as text.

    private func passwordGrant(form: [String: String], client: RegisteredClient) async throws -> TokenResponse {
        guard let username = form["username"], !username.isEmpty else { throw OAuthError(.invalidRequest, "username is required") }
        guard let password = form["password"], !password.isEmpty else { throw OAuthError(.invalidRequest, "password is required") }
        let scopes = try grantedScopes(requested: form["scope"], client: client)
        switch try await accounts.login(email: username, password: password) {
        case .success(let account):
            let family = RefreshTokenStore.Grant(
                family_id: UUID(), account_id: account.id, client_id: client.id, scope: scopes.joined(separator: " "))
            let refresh = try await refreshTokens.issue(for: family)
            return try await tokenResponse(subject: account.id.uuidString, roles: account.roleList, scopes: scopes, client: client, refresh: refresh)
        case .wrongCredentials:
            throw OAuthError(.invalidGrant, "the email or password is wrong")
        case .locked(let until):
            let minutes = max(1, (until - AccountStore.now() + 59) / 60)
            throw OAuthError(.invalidGrant, "the account is locked after repeated failed logins; try again in \(minutes) minute(s)")
        case .disabled:
            throw OAuthError(.invalidGrant, "the account is disabled")
        }
    }

    private func authorizationCodeGrant(form: [String: String], client: RegisteredClient) async throws -> TokenResponse {
        guard let code = form["code"], !code.isEmpty else { throw OAuthError(.invalidRequest, "code is required") }
        guard let verifier = form["code_verifier"] else { throw OAuthError(.invalidRequest, "code_verifier is required (PKCE)") }
        let family = UUID()
        let grant: AuthorizationCodeStore.Grant
        switch try await codes.redeem(code, family: family) {
        case .success(let redeemed): grant = redeemed
        case .failure(.reused(let family)):
            if let family { try await refreshTokens.revokeFamily(family) }
            throw OAuthError(.invalidGrant, "the code was already used; the tokens it gave are revoked")
        case .failure(.expired): throw OAuthError(.invalidGrant, "the code has expired")
        case .failure(.unknown): throw OAuthError(.invalidGrant, "the code is not known")
        }
        guard grant.client_id == client.id else { throw OAuthError(.invalidGrant, "the code was issued to another client") }
        guard form["redirect_uri"] == grant.redirect_uri else {
            throw OAuthError(.invalidGrant, "redirect_uri is not the one the code was issued for")
        }
        guard AuthorizationCodeStore.verifierMatches(verifier, challenge: grant.code_challenge) else {
            throw OAuthError(.invalidGrant, "the code_verifier does not match the code_challenge")
        }
        guard let account = try await accounts.find(id: grant.account_id), !account.disabled else {
            throw OAuthError(.invalidGrant, "the account is disabled")
        }
        let scopes = grant.scope.split(separator: " ").map(String.init)
        let refresh = try await refreshTokens.issue(
            for: RefreshTokenStore.Grant(family_id: family, account_id: account.id, client_id: client.id, scope: grant.scope))
        var answer = try await tokenResponse(
            subject: account.id.uuidString, roles: account.roleList, scopes: scopes, client: client, refresh: refresh)
        answer.idToken = try await idToken(for: account, client: client, authTime: grant.auth_time, nonce: grant.nonce)
        return answer
    }

    /// An ID token for `account`'s sign-in at `authTime` through `client`.
    private func idToken(for account: AccountRow, client: RegisteredClient, authTime: Int, nonce: String?) async throws -> String {
        let claims = IDTokenClaims(
            issuer: try settings.issuer.url(), subject: account.id.uuidString, clientID: client.id,
            issuedAt: Date(timeIntervalSince1970: Double(AccountStore.now())), lifetime: settings.accessTokenLifetime, authTime: authTime,
            nonce: nonce, email: account.email, name: account.name, roles: account.roleList)
        return try await keyring.sign(claims)
    }

    private func refreshGrant(form: [String: String], client: RegisteredClient) async throws -> TokenResponse {
        guard let token = form["refresh_token"], !token.isEmpty else { throw OAuthError(.invalidRequest, "refresh_token is required") }
        let grant: RefreshTokenStore.Grant
        switch try await refreshTokens.redeem(token) {
        case .success(let redeemed): grant = redeemed
        case .failure(.reused): throw OAuthError(.invalidGrant, "the refresh token was already used; every token of its session is now revoked")
        case .failure(.revoked): throw OAuthError(.invalidGrant, "the refresh token was revoked")
        case .failure(.expired): throw OAuthError(.invalidGrant, "the refresh token has expired")
        case .failure(.unknown): throw OAuthError(.invalidGrant, "the refresh token is not known")
        }
        guard grant.client_id == client.id else {
            try await refreshTokens.revokeFamily(grant.family_id)
            throw OAuthError(.invalidGrant, "the refresh token was issued to another client")
        }
        guard let account = try await accounts.find(id: grant.account_id), !account.disabled else {
            try await refreshTokens.revokeFamily(grant.family_id)
            throw OAuthError(.invalidGrant, "the account is disabled")
        }
        let scopes = grant.scope.split(separator: " ").map(String.init)
        let refresh = try await refreshTokens.issue(for: grant)
        return try await tokenResponse(subject: account.id.uuidString, roles: account.roleList, scopes: scopes, client: client, refresh: refresh)
    }

    private func clientCredentialsGrant(form: [String: String], client: RegisteredClient) async throws -> TokenResponse {
        let scopes = try grantedScopes(requested: form["scope"], client: client)
        return try await tokenResponse(subject: client.id, roles: [], scopes: scopes, client: client, refresh: nil)
    }

    // MARK: Parts

    private func tokenResponse(subject: String, roles: [String], scopes: [String], client: RegisteredClient, refresh: String?) async throws
        -> TokenResponse
    {
        let claims = AccessTokenClaims(
            issuer: try settings.issuer.url(),
            subject: subject,
            audience: [AuthSettings.defaultAudience],
            issuedAt: Date(timeIntervalSince1970: Double(AccountStore.now())),
            lifetime: settings.accessTokenLifetime,
            id: UUID().uuidString.lowercased(),
            scopes: scopes,
            roles: roles,
            clientID: client.id
        )
        let token = try await keyring.sign(claims)
        return TokenResponse(
            accessToken: token,
            expiresIn: Int(settings.accessTokenLifetime.components.seconds),
            refreshToken: refresh,
            scope: scopes.joined(separator: " ")
        )
    }

    /// The scopes to grant: those asked for, which must all be the client's, or all of the client's.
    private func grantedScopes(requested: String?, client: RegisteredClient) throws -> [String] {
        guard let requested, !requested.isEmpty else { return client.scopes }
        let scopes = requested.split(separator: " ").map(String.init)
        if let unknown = scopes.first(where: { !client.scopes.contains($0) }) {
            throw OAuthError(.invalidScope, "the client \(client.id) may not ask for the scope \(unknown)")
        }
        return scopes
    }

    /// The client making the request (RFC 6749 §2.3): HTTP Basic or form fields for a
    /// confidential client, `client_id` alone for a public one.
    private func authenticateClient(request: Request, form: [String: String]) throws -> RegisteredClient {
        var clientID = form["client_id"]
        var secret = form["client_secret"]
        if let header = request.headers[.authorization] {
            guard header.lowercased().hasPrefix("basic "), let decoded = Base64URL.decodeStandard(header.dropFirst(6)),
                let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":")
            else {
                throw OAuthError(.invalidClient, "the Authorization header must be HTTP Basic with the client id and secret")
            }
            clientID = FormEncoding.decode("id=" + pair[..<colon])["id"]?.first
            secret = FormEncoding.decode("s=" + pair[pair.index(after: colon)...])["s"]?.first
        }
        guard let clientID, let client = settings.clients.first(where: { $0.id == clientID }) else {
            throw OAuthError(.invalidClient, "the client is not known")
        }
        switch (client.secret, secret) {
        case (nil, nil):
            return client
        case (let expected?, let given?) where SecretComparison.equal(given, expected):
            return client
        default:
            throw OAuthError(.invalidClient, "the client could not be authenticated")
        }
    }

    /// The form fields of the body; a field given twice is an error (RFC 6749 §3.2).
    static func form(of request: Request, context: EmporiumRequestContext) async throws -> [String: String] {
        let contentType = request.headers[.contentType]?.split(separator: ";").first?.trimmingWhitespace.lowercased()
        guard contentType == "application/x-www-form-urlencoded" else {
            throw OAuthError(.invalidRequest, "the body must be application/x-www-form-urlencoded")
        }
        let body = try await request.body.collect(upTo: 16 * 1024)
        var form: [String: String] = [:]
        for (name, values) in FormEncoding.decode(String(buffer: body)) {
            guard values.count == 1 else { throw OAuthError(.invalidRequest, "\(name) is given more than once") }
            form[name] = values[0]
        }
        return form
    }
}
