import Foundation

/// An authorization request of the code flow (OpenID Connect Core §3.1.2.1), checked in the
/// order the specifications require: until the client and its redirect URI are known good, an
/// error is shown on the provider's own page and never redirected (RFC 6749 §4.1.2.1); after that,
/// errors go back to the client's redirect URI with `error` and `state`.
struct AuthorizationRequest: Sendable, Equatable {
    var clientID: String
    var redirectURI: String
    var scope: [String]
    var state: String?
    var nonce: String?
    var codeChallenge: String
    /// The address to put in the form's email field (`login_hint`), such as that of an account
    /// just registered; only a hint, which the person may change.
    var loginHint: String? = nil

    /// An error shown on the provider's page: the browser cannot safely be sent anywhere.
    struct Unredirectable: Error, Equatable {
        var message: String
    }

    /// An error sent back to the client (RFC 6749 §4.1.2.1).
    struct Redirected: Error, Equatable {
        var redirectURI: String
        var code: String
        var description: String
        var state: String?

        /// The address the browser is sent to.
        var location: String {
            var fields = ["error": code, "error_description": description]
            if let state { fields["state"] = state }
            return AuthorizationRequest.adding(fields, to: redirectURI)
        }
    }

    /// Checks the request's parameters against the registered clients.
    static func parse(_ parameters: [String: String], clients: [RegisteredClient]) throws -> AuthorizationRequest {
        guard let clientID = parameters["client_id"], let client = clients.first(where: { $0.id == clientID }) else {
            throw Unredirectable(message: "The application that sent you here is not known to this sign-in service.")
        }
        guard client.grants.contains(.authorizationCode) else {
            throw Unredirectable(message: "The application that sent you here may not sign people in here.")
        }
        guard let redirectURI = parameters["redirect_uri"], client.accepts(redirectURI: redirectURI) else {
            throw Unredirectable(message: "The application asked to send you back to an address it has not registered.")
        }
        let state = parameters["state"]
        func refuse(_ code: String, _ description: String) -> Redirected {
            Redirected(redirectURI: redirectURI, code: code, description: description, state: state)
        }
        guard parameters["response_type"] == "code" else {
            throw refuse("unsupported_response_type", "only response_type=code is supported")
        }
        let scope = (parameters["scope"] ?? "").split(separator: " ").map(String.init)
        guard scope.contains("openid") else { throw refuse("invalid_scope", "the scope must include openid") }
        if let unknown = scope.first(where: { !client.scopes.contains($0) }) {
            throw refuse("invalid_scope", "the client may not ask for the scope \(unknown)")
        }
        // PKCE with S256, from every client: the plain method and no challenge are refused (OAuth 2.0 Security BCP §2.1.1).
        guard let challenge = parameters["code_challenge"], challenge.utf8.count == 43 else {
            throw refuse("invalid_request", "a code_challenge (PKCE, S256) is required")
        }
        guard parameters["code_challenge_method"] == "S256" else {
            throw refuse("invalid_request", "code_challenge_method must be S256")
        }
        if let nonce = parameters["nonce"], nonce.utf8.count > 255 { throw refuse("invalid_request", "the nonce is too long") }
        if let state, state.utf8.count > 1024 { throw refuse("invalid_request", "the state is too long") }
        let hint = parameters["login_hint"].flatMap { $0.isEmpty || $0.utf8.count > 254 ? nil : $0 }
        return AuthorizationRequest(
            clientID: clientID, redirectURI: redirectURI, scope: scope, state: state, nonce: parameters["nonce"], codeChallenge: challenge,
            loginHint: hint)
    }

    /// The request's parameters, to carry through the sign-in form.
    var parameters: [String: String] {
        var fields = [
            "response_type": "code", "client_id": clientID, "redirect_uri": redirectURI, "scope": scope.joined(separator: " "),
            "code_challenge": codeChallenge, "code_challenge_method": "S256",
        ]
        if let state { fields["state"] = state }
        if let nonce { fields["nonce"] = nonce }
        if let loginHint { fields["login_hint"] = loginHint }
        return fields
    }

    /// Where the browser goes with a new code.
    func location(code: String) -> String {
        var fields = ["code": code]
        if let state { fields["state"] = state }
        return Self.adding(fields, to: redirectURI)
    }

    /// `uri` with `fields` added to its query.
    static func adding(_ fields: [String: String], to uri: String) -> String {
        var components = URLComponents(string: uri) ?? URLComponents()
        let added = fields.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        components.queryItems = (components.queryItems ?? []) + added
        // URLComponents leaves `+` as it is, which a form decoder reads as a space.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.string ?? uri
    }
}
