public import Foundation
import Yams

/// The OpenAPI 3.1 document of the public API, the contract of everything a client reaches at
/// the gateway: written by hand as `openapi.yaml` in this target, served as it is written and as
/// JSON, rendered as the reference page, and the source of the generated client.
public struct APIDocument: Sendable {
    /// The document as it is written.
    public let yaml: String
    /// The document, read.
    public let value: JSONValue
    /// The document as JSON, keys sorted so that the bytes never change between runs.
    public let json: Data

    /// The document shipped with this build.
    public static let bundled: APIDocument = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            preconditionFailure("openapi.yaml is missing from the APIContract bundle; the build is broken.")
        }
        do {
            return try APIDocument(yaml: text)
        } catch {
            preconditionFailure("openapi.yaml does not parse: \(error)")
        }
    }()

    /// Reads a document.
    /// - Parameter yaml: The document's YAML text.
    public init(yaml: String) throws {
        self.yaml = yaml
        self.value = try Self.json(from: Yams.load(yaml: yaml))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.json = try encoder.encode(value)
    }

    /// Every operation the document names, as method (upper case) and path.
    public var operations: [(method: String, path: String)] {
        value["paths"]?.members.sorted { $0.key < $1.key }.flatMap { path, item in
            item.members.keys.filter(Self.methods.contains).sorted().map { (method: $0.uppercased(), path: path) }
        } ?? []
    }

    /// The keys of a path item that are operations.
    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    private static func json(from value: Any?) throws -> JSONValue {
        switch value {
        case nil, is NSNull: return .null
        case let value as Bool: return .bool(value)
        case let value as Int: return .integer(value)
        case let value as Double: return .number(value)
        case let value as String: return .string(value)
        case let value as [Any]: return .array(try value.map(json(from:)))
        case let value as [String: Any]: return .object(try value.mapValues(json(from:)))
        case let value as [AnyHashable: Any]:
            // YAML allows keys that are not strings; JSON does not, so the document never uses them.
            throw DocumentError(detail: "a mapping key is not a string: \(value.keys.map { "\($0)" })")
        default:
            throw DocumentError(detail: "a value of type \(type(of: value!)) has no JSON form")
        }
    }

    /// A document that cannot be served as JSON.
    struct DocumentError: Error, CustomStringConvertible {
        let detail: String
        var description: String { "The OpenAPI document cannot be read: \(detail)." }
    }
}
