import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Synchronization

/// Every request these tests send and the answer they get, written as JSON lines to
/// `$EMPORIUM_EXCHANGE_DIR/swift-tests-<pid>.jsonl` when that variable is set, so that
/// `scripts/contract/validate-exchanges` can check each answer against the OpenAPI document with a
/// validator nobody here wrote. Without the variable it records nothing.
enum ExchangeLog {
    /// One request and its answer, as the validator reads them.
    struct Exchange: Encodable {
        var method: String
        var url: String
        var requestHeaders: [String: String]
        var requestBody: String?
        var status: Int
        var responseHeaders: [String: String]
        var responseBody: String
    }

    private static let file = Mutex<FileHandle?>(openFile())

    private static func openFile() -> FileHandle? {
        guard let directory = ProcessInfo.processInfo.environment["EMPORIUM_EXCHANGE_DIR"], !directory.isEmpty else { return nil }
        let path = "\(directory)/swift-tests-\(ProcessInfo.processInfo.processIdentifier).jsonl"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        return FileHandle(forWritingAtPath: path)
    }

    /// Appends one exchange, if recording.
    static func record(_ request: HTTPClientRequest, body: Data?, status: Int, headers: HTTPHeaders, responseBody: Data) {
        file.withLock { file in
            guard let file else { return }
            func fields(_ headers: HTTPHeaders) -> [String: String] {
                var fields: [String: String] = [:]
                for (name, value) in headers { fields[name.lowercased()] = fields[name.lowercased()].map { $0 + ", " + value } ?? value }
                return fields
            }
            let exchange = Exchange(
                method: request.method.rawValue, url: request.url, requestHeaders: fields(request.headers),
                requestBody: body.map { String(decoding: $0, as: UTF8.self) }, status: status, responseHeaders: fields(headers),
                responseBody: String(decoding: responseBody, as: UTF8.self))
            guard var line = try? JSONEncoder().encode(exchange) else { return }
            line.append(0x0A)
            file.write(line)
        }
    }
}
