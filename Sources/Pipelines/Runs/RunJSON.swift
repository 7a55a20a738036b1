/// The wire shapes of runs and events (API.md "Runs and the scheduler"), written with the shared
/// `JSONWriter` so keys come out in the documented order and strings are escaped correctly.
extension Run {
    /// Writes this run as one JSON object:
    /// `{"id","pipeline_id","status","parallel","created_at","finished_at","stages":[…]}`, and
    /// `"cancelled_run_id"` last when given (a retry that cancelled the pipeline's active run).
    package func write(to writer: inout JSONWriter, cancelledRunID: RunID? = nil) {
        writer.beginObject()
        writer.key("id")
        writer.string(id)
        writer.key("pipeline_id")
        writer.string(pipelineID)
        writer.key("status")
        writer.string(status.rawValue)
        writer.key("parallel")
        writer.bool(parallel)
        writer.key("created_at")
        writer.string(createdAt.rfc3339)
        writer.key("finished_at")
        writer.string(finishedAt?.rfc3339)
        writer.key("stages")
        writer.beginArray()
        for stage in stages { stage.write(to: &writer) }
        writer.endArray()
        if let cancelledRunID {
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
        write(to: &writer, cancelledRunID: cancelledRunID)
        return writer.bytes
    }
}

extension StageRun {
    /// Writes `{"name","type","status","timeout","started_at","finished_at"}`.
    package func write(to writer: inout JSONWriter) {
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
        writer.string(startedAt?.rfc3339)
        writer.key("finished_at")
        writer.string(finishedAt?.rfc3339)
        writer.endObject()
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
