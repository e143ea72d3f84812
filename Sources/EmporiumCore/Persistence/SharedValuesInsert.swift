import SQLKit

/// A multi-row `INSERT` whose rows share some of their values: each shared value is bound once
/// and every row names its parameter, instead of binding a copy per row.
///
/// The outbox (subject, time) and the inbox (consumer, time) write many rows that differ only in
/// an id and a payload. Half the parameters to encode and bind, and a statement written straight
/// into the serializer rather than as a tree of expressions per row (an optimisation, ADR 22,
/// that SQLKit's insert builder may replace; tested on SQLite and PostgreSQL). Numbered parameters
/// (`?n` in SQLite, `$n` in PostgreSQL) may be named any number of times.
struct SharedValuesInsert: SQLExpression {
    /// The table, a plain identifier.
    let table: String
    /// The columns that take one value for every row, with that value.
    let shared: [(column: String, value: any Encodable & Sendable)]
    /// The columns whose value each row gives.
    let columns: [String]
    /// Each row's values, in the order of `columns`.
    let rows: [[any Encodable & Sendable]]
    /// What follows the rows: a conflict clause, `RETURNING`.
    var suffix = ""

    func serialize(to serializer: inout SQLSerializer) {
        let columnList = (shared.map(\.column) + columns).joined(separator: ", ")
        serializer.write("INSERT INTO \(table) (\(columnList)) VALUES ")
        var sharedParameters: [any SQLExpression] = []
        for (_, value) in shared {
            serializer.binds.append(value)
            sharedParameters.append(serializer.dialect.bindPlaceholder(at: serializer.binds.count))
        }
        for (rowIndex, row) in rows.enumerated() {
            serializer.write(rowIndex == 0 ? "(" : ", (")
            for (index, parameter) in sharedParameters.enumerated() {
                if index > 0 { serializer.write(", ") }
                parameter.serialize(to: &serializer)
            }
            for (index, value) in row.enumerated() {
                if index > 0 || !sharedParameters.isEmpty { serializer.write(", ") }
                serializer.write(bind: value)
            }
            serializer.write(")")
        }
        if !suffix.isEmpty { serializer.write(" \(suffix)") }
    }
}
