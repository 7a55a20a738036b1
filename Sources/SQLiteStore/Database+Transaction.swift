/// Transactions and savepoints: every write of the store goes through one of these, so a failure
/// anywhere leaves the database as it was before.
extension Database {
    /// Runs `body` between `BEGIN IMMEDIATE` and `COMMIT`; rolls back and rethrows if anything
    /// fails, the commit included. IMMEDIATE takes the write lock up front, so a reader (a backup)
    /// can never turn our transaction into a failed upgrade halfway through.
    func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try execute("BEGIN IMMEDIATE", doing: "starting a transaction")
        do {
            let result = try body()
            try execute("COMMIT", doing: "committing")
            return result
        } catch {
            rollback()
            throw error
        }
    }

    /// Runs `body` inside a savepoint of the current transaction: when it throws, only its own
    /// writes are undone and the transaction goes on.
    func savepoint(_ body: () throws(StoreError) -> Void) throws(StoreError) {
        try execute("SAVEPOINT batch", doing: "starting a savepoint")
        do {
            try body()
        } catch {
            // ROLLBACK TO keeps the savepoint open; RELEASE then ends it with nothing in it.
            if inTransaction { try? execute("ROLLBACK TO batch; RELEASE batch") }
            throw error
        }
        try execute("RELEASE batch", doing: "releasing a savepoint")
    }

    /// Ends the current transaction without writing it, if SQLite has not ended it already.
    func rollback() {
        if inTransaction { try? execute("ROLLBACK") }
    }
}
