/// The stored form of runs and events: compact JSON with times as integer milliseconds, so a
/// restart reads back exactly the values that were written (the API's RFC 3339 strings are for
/// people, and parsing them back would be the only way to lose a millisecond). Shared by every
/// store backend.
extension Run {
    /// The run in its stored form (`Encoding.stored`: the API's shape with integer-millisecond
    /// times and the creation sequence).
    package var record: [UInt8] {
        // Room for the whole record, so the buffer is allocated once (a 3-stage run is ~580 bytes).
        var writer = JSONWriter(
            capacity: 192 + pipelineID.utf8.count + stages.reduce(0) { $0 + 128 + $1.name.utf8.count })
        write(to: &writer, as: .stored)
        return writer.bytes
    }

    /// A run read back from its `record`; nil when the bytes are not one.
    package init?(record: [UInt8]) {
        guard let fields = RecordFields(record),
            let id = fields.string("id").flatMap(RunID.init), let pipelineID = fields.string("pipeline_id"),
            let status = fields.string("status").flatMap(RunStatus.init(rawValue:)),
            let parallel = fields.bool("parallel"), let sequence = fields.integer("sequence"), sequence >= 0,
            let createdAt = fields.timestamp("created_at"),
            let finishedAt = fields.optionalTimestamp("finished_at"), let stageValues = fields.array("stages")
        else { return nil }
        var stages: [StageRun] = []
        for value in stageValues {
            guard let stage = RecordFields(value),
                let name = stage.string("name"), let type = stage.string("type").flatMap(StageType.init(rawValue:)),
                let stageStatus = stage.string("status").flatMap(StageStatus.init(rawValue:)),
                let timeout = stage.integer("timeout"),
                let startedAt = stage.optionalTimestamp("started_at"),
                let stageFinishedAt = stage.optionalTimestamp("finished_at")
            else { return nil }
            stages.append(
                StageRun(
                    name: name, type: type, status: stageStatus, timeout: timeout,
                    startedAt: startedAt, finishedAt: stageFinishedAt))
        }
        self.init(id: id, plan: RunPlan(pipelineID: pipelineID, parallel: parallel, stages: []), createdAt: createdAt)
        self.status = status
        self.finishedAt = finishedAt
        self.stages = stages
        self.sequence = UInt64(sequence)
    }
}

extension RunEvent {
    /// `{"seq","type","pipeline_id","run_id","stage","at"}`.
    package var record: [UInt8] {
        // Room for the whole record (~180 bytes), so the buffer is allocated once.
        var writer = JSONWriter(capacity: 144 + pipelineID.utf8.count + (stage?.utf8.count ?? 0))
        writer.beginObject()
        writer.key("seq")
        writer.integer(Int(seq))
        writer.key("type")
        writer.string(kind.rawValue)
        writer.key("pipeline_id")
        writer.string(pipelineID)
        writer.key("run_id")
        writer.string(runID)  // written in place, no String in between
        writer.key("stage")
        writer.string(stage)
        writer.key("at")
        writer.integer(Int(at.milliseconds))
        writer.endObject()
        return writer.bytes
    }

    /// An event read back from its `record`; nil when the bytes are not one.
    package init?(record: [UInt8]) {
        guard let fields = RecordFields(record),
            let seq = fields.integer("seq"), seq > 0,
            let kind = fields.string("type").flatMap(Kind.init(rawValue:)),
            let pipelineID = fields.string("pipeline_id"), let runID = fields.string("run_id").flatMap(RunID.init),
            let stage = fields.optionalString("stage"), let at = fields.timestamp("at")
        else { return nil }
        self.init(seq: UInt64(seq), kind: kind, pipelineID: pipelineID, runID: runID, stage: stage, at: at)
    }
}

/// The members of one stored object, looked up by name. `optional…` lookups answer `.some(nil)`
/// for `null` and nil (not a record) for a missing member or a wrong type.
private struct RecordFields {
    private let members: [(key: String, value: JSONValue)]

    init?(_ bytes: [UInt8]) {
        guard let value = try? JSONReader.parse(bytes) else { return nil }
        self.init(value)
    }

    init?(_ value: JSONValue) {
        guard let members = value.objectMembers else { return nil }
        self.members = members
    }

    private func value(_ key: String) -> JSONValue? { members.first { $0.key == key }?.value }

    func string(_ key: String) -> String? { value(key)?.stringValue }

    func bool(_ key: String) -> Bool? {
        if case .bool(let flag) = value(key) { flag } else { nil }
    }

    func integer(_ key: String) -> Int? {
        if case .number(let number) = value(key) { Int(exactly: number) } else { nil }
    }

    func array(_ key: String) -> [JSONValue]? {
        if case .array(let items) = value(key) { items } else { nil }
    }

    func timestamp(_ key: String) -> Timestamp? { integer(key).map { Timestamp(milliseconds: Int64($0)) } }

    func optionalTimestamp(_ key: String) -> Timestamp?? {
        if case .null = value(key) { return .some(nil) }
        return timestamp(key).map { .some($0) }
    }

    func optionalString(_ key: String) -> String?? {
        if case .null = value(key) { return .some(nil) }
        return string(key).map { .some($0) }
    }
}
