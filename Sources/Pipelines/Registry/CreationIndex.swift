/// Pipelines in creation order, for cursor pagination that stays stable while pipelines are
/// deleted: a cursor is a creation sequence number, never a position.
///
/// Sequences only grow, so appending keeps the entries sorted and a cursor is found by binary
/// search (O(log n)). A deletion leaves a tombstone; tombstones are compacted away once they
/// are half the entries, which keeps both memory and the skipping in `page` amortised O(1).
///
/// Entries live in fixed-size chunks rather than one array: a single array doubles by copying
/// every entry into fresh memory, and at several hundred thousand pipelines that copy (and the
/// page faults of the new memory) stalled the loop for tens of milliseconds in one create.
struct CreationIndex: Sendable {
    private struct Entry {
        var sequence: UInt64
        /// nil once the pipeline is deleted (a tombstone).
        var id: PipelineID?
    }

    private static let chunkSize = 4096
    /// Every chunk but the last is full, so position `p` is in chunk `p / chunkSize`.
    private var chunks: [[Entry]] = []
    private(set) var count = 0
    private var tombstones = 0

    /// Records a pipeline created with a sequence larger than every earlier one.
    mutating func append(_ id: PipelineID, sequence: UInt64) {
        precondition(count == 0 || self[count - 1].sequence < sequence, "sequences must increase")
        if count % Self.chunkSize == 0 {
            chunks.append([])
            chunks[chunks.count - 1].reserveCapacity(Self.chunkSize)
        }
        chunks[chunks.count - 1].append(Entry(sequence: sequence, id: id))
        count += 1
    }

    mutating func remove(sequence: UInt64) {
        guard let position = position(of: sequence), self[position].id != nil else { return }
        chunks[position / Self.chunkSize][position % Self.chunkSize].id = nil
        tombstones += 1
        if tombstones > 1024, tombstones * 2 > count { compact() }
    }

    /// Up to `limit` live ids created after `sequence` (from the start when nil), and whether
    /// more live ids follow them.
    func page(after sequence: UInt64?, limit: Int) -> (ids: [PipelineID], sequenceOfLast: UInt64?, hasMore: Bool) {
        var position = sequence.map { firstPosition(after: $0) } ?? 0
        var found: [PipelineID] = []
        found.reserveCapacity(min(limit, count))
        var last: UInt64?
        while position < count, found.count < limit {
            let entry = self[position]
            if let id = entry.id {
                found.append(id)
                last = entry.sequence
            }
            position += 1
        }
        while position < count, self[position].id == nil { position += 1 }
        return (found, last, position < count)
    }

    private subscript(position: Int) -> Entry {
        chunks[position / Self.chunkSize][position % Self.chunkSize]
    }

    private func position(of sequence: UInt64) -> Int? {
        guard sequence > 0 else { return nil }
        let position = firstPosition(after: sequence - 1)
        return position < count && self[position].sequence == sequence ? position : nil
    }

    /// Index of the first entry whose sequence is greater than `sequence`.
    private func firstPosition(after sequence: UInt64) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].sequence <= sequence { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private mutating func compact() {
        let live = chunks.joined().filter { $0.id != nil }
        chunks = []
        count = 0
        tombstones = 0
        for entry in live { append(entry.id!, sequence: entry.sequence) }
    }
}
