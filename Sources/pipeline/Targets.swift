import ArgumentParser

/// The pipeline a command acts on, given as an argument (`pipeline get-pipeline ID`, like `gh`) or
/// with the seed's `--pipeline-id ID`. An empty or blank id is refused before anything is sent: it
/// would otherwise name another endpoint (`/v1/pipelines/` is the list).
struct PipelineTarget: ParsableArguments {
    @Argument(help: ArgumentHelp("The pipeline's id (or --pipeline-id).", valueName: "pipeline-id"))
    var positionalID: String?

    @Option(name: [.customShort("p"), .long], help: "The pipeline's id.")
    var pipelineId: String?

    /// The id, once `validate()` has passed.
    var pipelineID: String { pipelineId ?? positionalID ?? "" }

    func validate() throws {
        _ = try IDArguments.resolve("pipeline", flag: pipelineId, positional: positionalID)
    }
}

/// A run: `PIPELINE-ID RUN-ID` as arguments, or `--pipeline-id` and `--run-id` (any mix: the
/// arguments fill in, in that order, whatever the flags left out).
struct RunTarget: ParsableArguments {
    @Argument(help: ArgumentHelp("The pipeline's id, then the run's id (or the flags).", valueName: "ids"))
    var positionalIDs: [String] = []

    @Option(name: [.customShort("p"), .long], help: "The pipeline's id.")
    var pipelineId: String?

    @Option(name: [.customShort("r"), .long], help: "The run's id (the run_id printed by trigger-pipeline).")
    var runId: String?

    /// The pipeline id, once `validate()` has passed.
    var pipelineID: String { resolved.pipeline }
    /// The run id, once `validate()` has passed.
    var runID: String { resolved.run }

    private var resolved: (pipeline: String, run: String) {
        var rest = positionalIDs[...]
        let pipeline = pipelineId ?? rest.popFirst() ?? ""
        return (pipeline, runId ?? rest.popFirst() ?? "")
    }

    func validate() throws {
        var rest = positionalIDs[...]
        _ = try IDArguments.resolve("pipeline", flag: pipelineId, positional: pipelineId == nil ? rest.popFirst() : nil)
        _ = try IDArguments.resolve("run", flag: runId, positional: runId == nil ? rest.popFirst() : nil)
        if let extra = rest.first { throw ValidationError("unexpected argument '\(extra)'") }
    }
}

/// The checks every id argument shares.
enum IDArguments {
    /// The id from the flag or the argument; throws a usage error (exit 64) naming the problem.
    static func resolve(_ kind: String, flag: String?, positional: String?) throws -> String {
        if let flag, let positional, flag != positional {
            throw ValidationError("the \(kind) id is given twice ('\(positional)' and --\(kind)-id '\(flag)')")
        }
        guard let id = flag ?? positional else {
            throw ValidationError("missing the \(kind) id: give it as an argument or with --\(kind)-id")
        }
        try refuseBlank(id, kind: kind)
        return id
    }

    /// Refuses an empty or whitespace-only id with a sentence saying nothing was sent.
    static func refuseBlank(_ id: String, kind: String) throws {
        if id.allSatisfy(\.isWhitespace) {
            throw ValidationError("the \(kind) id is empty; nothing was sent. Give the id the server printed")
        }
    }
}
