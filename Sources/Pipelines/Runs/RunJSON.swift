/// The wire shapes of runs and events (API.md "Runs and the scheduler"), written with the shared
/// `JSONWriter` so keys come out in the documented order and strings are escaped correctly.
extension Run {
    /// How a run is written: for the API (RFC 3339 times; a retry's answer names the run it
    /// cancelled) or for a store (times as integer milliseconds and the creation sequence, so a
    /// restart reads back exactly what was written: see `StoredRecords.swift`).
    package enum Encoding {
        case api(cancelledRunID: RunID?)
        case stored
    }

    /// Writes this run as one JSON object:
    /// `{"id","pipeline_id","status","parallel",["sequence",]"created_at","finished_at","stages":[…]}`,
    /// and `"cancelled_run_id"` last when the API form names one.
    package func write(to writer: inout JSONWriter, as encoding: Encoding = .api(cancelledRunID: nil)) {
        writer.beginObject()
        writer.key("id")
        writer.string(id)
        writer.key("pipeline_id")
        writer.string(pipelineID)
        writer.key("status")
        writer.string(status.rawValue)
        writer.key("parallel")
        writer.bool(parallel)
        if case .stored = encoding {
            writer.key("sequence")
            writer.integer(Int(sequence))
        }
        writer.key("created_at")
        writer.time(createdAt, encoding)
        writer.key("finished_at")
        writer.time(finishedAt, encoding)
        writer.key("stages")
        writer.beginArray()
        for stage in stages { stage.write(to: &writer, encoding) }
        writer.endArray()
        if case .api(let cancelledRunID?) = encoding {
            writer.key("cancelled_run_id")
            writer.string(cancelledRunID)
        }
        writer.endObject()
    }

    /// The run's JSON body as bytes (a single-run response).
    package var json: [UInt8] { json(cancelledRunID: nil) }

    /// The run's JSON body, with `cancelled_run_id` when the operation cancelled another run.
    package func json(cancelledRunID: RunID?) -> [UInt8] {
        var writer = JSONWriter(capacity: 320 + 128 * stages.count)
        write(to: &writer, as: .api(cancelledRunID: cancelledRunID))
        return writer.bytes
    }
}

extension StageRun {
    /// Writes `{"name","type","status","timeout","started_at","finished_at"}`.
    package func write(to writer: inout JSONWriter, _ encoding: Run.Encoding = .api(cancelledRunID: nil)) {
        writer.beginObject()
        writer.key("name")
        writer.string(name)
        writer.key("type")
        writer.string(type.rawValue)
        writer.key("status")
        writer.string(status.rawValue)
        writer.key("timeout")
        writer.integer(timeout)
        writer.key("started_at")
        writer.time(startedAt, encoding)
        writer.key("finished_at")
        writer.time(finishedAt, encoding)
        writer.endObject()
    }
}

extension JSONWriter {
    /// A time as the encoding writes it: an RFC 3339 string or integer milliseconds; `null` for none.
    mutating func time(_ time: Timestamp?, _ encoding: Run.Encoding) {
        switch (time, encoding) {
        case (nil, _): null()
        case (let time?, .api): string(time.rfc3339)
        case (let time?, .stored): integer(Int(time.milliseconds))
        }
    }
}

extension RunEvent {
    /// Writes the SSE `data:` object `{"seq","type","pipeline_id","run_id","stage","at"}`;
    /// `stage` is `null` for run events.
    package func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("seq")
        writer.integer(Int(seq))
        writer.key("type")
        writer.string(type)
        writer.key("pipeline_id")
        writer.string(pipelineID)
        writer.key("run_id")
        writer.string(runID)
        writer.key("stage")
        writer.string(stage)
        writer.key("at")
        writer.string(at.rfc3339)
        writer.endObject()
    }

    /// The event's data object as bytes (one line: JSONWriter emits no newlines).
    package var json: [UInt8] {
        var writer = JSONWriter(capacity: 192)
        write(to: &writer)
        return writer.bytes
    }
}
