import AsyncHTTPClient
import Contracts
import Foundation
import NIOCore
import NIOHTTP1

/// The parts of an OpenID Provider's metadata (OpenID Connect Discovery 1.0 §3) Emporium uses.
public struct ProviderMetadata: Codable, Sendable, Equatable {
    /// The issuer; must equal the URL the metadata was fetched for.
    public var issuer: String
    /// Where the signing keys are.
    public var jwksURI: String
    /// Where tokens are issued.
    public var tokenEndpoint: String

    enum CodingKeys: String, CodingKey {
        case issuer
        case jwksURI = "jwks_uri"
        case tokenEndpoint = "token_endpoint"
    }

    /// Creates metadata.
    public init(issuer: String, jwksURI: String, tokenEndpoint: String) {
        self.issuer = issuer
        self.jwksURI = jwksURI
        self.tokenEndpoint = tokenEndpoint
    }
}

/// Fetches small JSON documents from the identity provider.
struct IdentityProviderFetcher: Sendable {
    let client: OutboundHTTPClient
    /// The largest document accepted: a JWKS of a few keys is a few kilobytes.
    let maxBytes = 256 * 1024

    /// Fetches and checks the metadata of `issuer` (the issuer inside must be the same URL, §4.3).
    func metadata(of issuer: String) async throws(AuthenticationFailure) -> ProviderMetadata {
        let metadata = try await document(ProviderMetadata.self, at: issuer + "/.well-known/openid-configuration")
        guard metadata.issuer == issuer else {
            throw .keysUnavailable(reason: "the provider at \(issuer) calls itself \(metadata.issuer)")
        }
        return metadata
    }

    /// Fetches a JSON document.
    func document<Document: Decodable>(_ type: Document.Type, at url: String) async throws(AuthenticationFailure) -> Document {
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(5), dependency: Component.idp.rawValue)
            let body = try await response.body.collect(upTo: maxBytes)
            guard response.status == .ok else {
                throw AuthenticationFailure.keysUnavailable(reason: "\(url) answered \(response.status.code)")
            }
            return try JSONDecoder().decode(Document.self, from: Data(body.readableBytesView))
        } catch let failure as AuthenticationFailure {
            throw failure
        } catch {
            throw .keysUnavailable(reason: "\(url) could not be read (\(error))")
        }
    }
}
