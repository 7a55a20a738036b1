/// Pipelines in creation order, for cursor pagination that stays stable while pipelines are
/// deleted: a cursor is a creation sequence number, never a position.
///
/// Sequences only grow, so appending keeps the array sorted and a cursor is found by binary
/// search (O(log n)). A deletion leaves a tombstone; tombstones are compacted away once they
/// are half the array, which keeps both memory and the skipping in `page` amortised O(1).
struct CreationIndex: Sendable {
    private var sequences: [UInt64] = []
    private var ids: [PipelineID?] = []
    private var tombstones = 0

    /// Sets aside room for `reserved` pipelines: the arrays fill from the front, so unused room
    /// costs address space, not memory, and no copy happens while they stay within it.
    init(reserved: Int) {
        sequences.reserveCapacity(reserved)
        ids.reserveCapacity(reserved)
    }

    /// Records a pipeline created with a sequence larger than every earlier one.
    mutating func append(_ id: PipelineID, sequence: UInt64) {
        precondition(sequences.last.map { $0 < sequence } ?? true, "sequences must increase")
        sequences.append(sequence)
        ids.append(id)
    }

    mutating func remove(sequence: UInt64) {
        guard let position = position(of: sequence), ids[position] != nil else { return }
        ids[position] = nil
        tombstones += 1
        if tombstones > 1024, tombstones * 2 > ids.count { compact() }
    }

    /// Up to `limit` live ids created after `sequence` (from the start when nil), and whether
    /// more live ids follow them.
    func page(after sequence: UInt64?, limit: Int) -> (ids: [PipelineID], sequenceOfLast: UInt64?, hasMore: Bool) {
        var position = sequence.map { firstPosition(after: $0) } ?? 0
        var found: [PipelineID] = []
        found.reserveCapacity(min(limit, ids.count))
        var last: UInt64?
        while position < ids.count, found.count < limit {
            if let id = ids[position] {
                found.append(id)
                last = sequences[position]
            }
            position += 1
        }
        while position < ids.count, ids[position] == nil { position += 1 }
        return (found, last, position < ids.count)
    }

    private func position(of sequence: UInt64) -> Int? {
        guard sequence > 0 else { return nil }
        let position = firstPosition(after: sequence - 1)
        return position < sequences.count && sequences[position] == sequence ? position : nil
    }

    /// Index of the first entry whose sequence is greater than `sequence`.
    private func firstPosition(after sequence: UInt64) -> Int {
        var low = 0
        var high = sequences.count
        while low < high {
            let middle = (low + high) / 2
            if sequences[middle] <= sequence { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private mutating func compact() {
        var keptSequences: [UInt64] = []
        var keptIDs: [PipelineID?] = []
        keptSequences.reserveCapacity(ids.count - tombstones)
        keptIDs.reserveCapacity(ids.count - tombstones)
        for (sequence, id) in zip(sequences, ids) where id != nil {
            keptSequences.append(sequence)
            keptIDs.append(id)
        }
        sequences = keptSequences
        ids = keptIDs
        tombstones = 0
    }
}
