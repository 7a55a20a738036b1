/// Proof that a batch is on disk: which batch, and in which transaction it was written.
///
/// Both numbers grow with submission order, so the server can keep one watermark ("every batch up
/// to N is durable") and release a held response once its batch number is covered.
public struct CommitTicket: Sendable, Equatable, Hashable {
    /// The batch's number in submission order, from 1 (what `submit` returned).
    public let batch: UInt64
    /// The number of the transaction that wrote it, from 1 since the store was opened; batches
    /// that were group-committed together share it.
    public let transaction: UInt64
}
