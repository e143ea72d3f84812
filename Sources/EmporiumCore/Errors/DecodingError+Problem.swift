import Foundation

extension DecodingError {
    /// The problem a client should see for this decoding failure, naming the field at fault.
    var problem: Problem {
        switch self {
        case .keyNotFound(let key, let context):
            let path = Self.path(context.codingPath + [key])
            return Problem(.invalidField, detail: "`\(path)` is required.", field: path)
        case .valueNotFound(let type, let context):
            let path = Self.path(context.codingPath)
            return Problem(.invalidField, detail: "`\(path)` must not be null; expected \(Self.describe(type)).", field: path)
        case .typeMismatch(let type, let context):
            let path = Self.path(context.codingPath)
            if path.isEmpty {
                return Problem(.malformedBody, detail: "The body must be a JSON \(Self.describe(type)).")
            }
            return Problem(.invalidField, detail: "`\(path)` must be \(Self.describe(type)).", field: path)
        case .dataCorrupted(let context):
            let path = Self.path(context.codingPath)
            if path.isEmpty {
                return Problem(.malformedBody, detail: "The body is not well-formed JSON.")
            }
            return Problem(.invalidField, detail: "`\(path)` is invalid: \(context.debugDescription)", field: path)
        @unknown default:
            return Problem(.malformedBody, detail: "The body could not be read.")
        }
    }

    /// `items[0].quantity` for a coding path.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var result = ""
        for key in codingPath {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return result
    }

    /// Names a Swift type the way a JSON client thinks of it.
    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default: "a valid \(type)"
        }
    }
}
