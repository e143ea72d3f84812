/// Runs `deleteChunk`, which deletes up to `chunk` rows and returns how many, until it deletes
/// fewer; returns how many were deleted in all. Each chunk is a statement of its own, so that a
/// large deletion never holds a SQLite database's one writer for long.
func deleteInChunks(of chunk: Int, _ deleteChunk: () async throws -> Int) async rethrows -> Int {
    var deleted = 0
    while true {
        let count = try await deleteChunk()
        deleted += count
        if count < chunk { return deleted }
    }
}
