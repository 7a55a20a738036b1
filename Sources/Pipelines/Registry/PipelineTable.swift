/// The pipelines by id, split over 256 small hash tables by the id's leading bits.
///
/// One big `Dictionary` doubles by rehashing every entry at once: at a million pipelines that
/// is a pause of about a hundred milliseconds on the loop, which every request queued behind it
/// feels. Split 256 ways, each table grows on its own and a growth step moves at most 1/256 of the
/// entries. Lookups cost one shift more. Room for `reserved` pipelines is set aside up front.
struct PipelineTable: Sendable {
    private static let shardBits = 8
    private var shards: [[PipelineID: PipelineEntry]]
    private(set) var count = 0

    init(reserved: Int) {
        let shardCount = 1 << Self.shardBits
        shards = (0..<shardCount).map { _ in
            var shard: [PipelineID: PipelineEntry] = [:]
            shard.reserveCapacity(reserved / shardCount)
            return shard
        }
    }

    subscript(id: PipelineID) -> PipelineEntry? {
        shards[Self.shard(of: id)][id]
    }

    /// Stores `entry`; returns whether its id was new.
    @discardableResult
    mutating func put(_ entry: PipelineEntry) -> Bool {
        let isNew = shards[Self.shard(of: entry.id)].updateValue(entry, forKey: entry.id) == nil
        if isNew { count += 1 }
        return isNew
    }

    mutating func remove(_ id: PipelineID) {
        if shards[Self.shard(of: id)].removeValue(forKey: id) != nil { count -= 1 }
    }

    private static func shard(of id: PipelineID) -> Int {
        Int(truncatingIfNeeded: id.high >> UInt64(64 - shardBits))
    }
}
