import Foundation

/// What the trace list is filtered by, from its search form: an order, a request, a user, a
/// status. Ids match whole and without regard to case; empty fields match everything.
struct TraceQuery: Sendable, Equatable {
    /// Which traces by how they ended.
    enum Status: String, Sendable, CaseIterable {
        case any, failed, succeeded
    }

    var orderID = ""
    var requestID = ""
    var userID = ""
    var status = Status.any

    /// Whether `trace` is one of those asked for. The console's own pages are never listed: they
    /// are the operator looking, not the platform working.
    func matches(_ trace: TraceSummary) -> Bool {
        if trace.rootPath?.hasPrefix("/console") == true { return false }
        if !Self.contains(trace.orderIDs, orderID) { return false }
        if !requestID.isEmpty, !Self.contains(trace.requestIDs, requestID), trace.traceID != requestID.lowercased() { return false }
        if !Self.contains(trace.userIDs, userID) { return false }
        switch status {
        case .any: return true
        case .failed: return trace.failed
        case .succeeded: return !trace.failed
        }
    }

    private static func contains(_ ids: Set<String>, _ wanted: String) -> Bool {
        wanted.isEmpty || ids.contains { $0.caseInsensitiveCompare(wanted) == .orderedSame }
    }
}
