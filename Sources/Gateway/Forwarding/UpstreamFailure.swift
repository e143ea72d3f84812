import AsyncHTTPClient
import Contracts
import EmporiumCore
import HTTPTypes
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Maps a failed upstream call to the problem the client sees: 504 when the upstream was too slow,
/// 503 when it could not be reached, 502 when it answered with something broken.
enum UpstreamFailure {
    static func problem(for error: any Error, upstream: Component, timeout: Duration) -> Problem {
        if let problem = error as? Problem { return problem }
        if let open = error as? CircuitOpen { return open.problem }
        let name = upstream.rawValue
        if error is UpstreamTimedOut {
            return Problem(.gatewayTimeout, detail: "The \(name) component did not answer within \(timeout).")
        }
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return Problem(.gatewayTimeout, detail: "The \(name) component did not answer within \(timeout).")
            default:
                break
            }
        }
        if isUnreachable(error) {
            return Problem(.serviceUnavailable, detail: "The \(name) component cannot be reached.", headers: [.retryAfter: "1"])
        }
        return Problem(.badGateway, detail: "The \(name) component failed to answer properly.")
    }

    /// Whether the connection could not be made at all: refused, unreachable, or timed out connecting.
    private static func isUnreachable(_ error: any Error) -> Bool {
        switch error {
        case is NIOConnectionError:
            return true
        case let clientError as HTTPClientError:
            return clientError == .connectTimeout
        case let channelError as ChannelError:
            if case .connectTimeout = channelError { return true }
            return false
        case let ioError as IOError:
            return [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH].contains(ioError.errnoCode)
        default:
            return false
        }
    }
}
