import ArgumentParser

/// The `pipeline` command: talks to a pipeline server over its HTTP API (see the README).
@main
struct PipelineCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Create, run and watch CI/CD pipelines on a pipeline server.",
        discussion: """
            Every command prints the server's JSON answer on standard output, so it can be piped \
            to jq. The server is PIPELINE_URL (default http://127.0.0.1:8080) unless --base-url \
            is given; credentials come from --username/--password or PIPELINE_USERNAME/\
            PIPELINE_PASSWORD (prefer the variables: they stay out of shell history).

            Exit codes:
              0   the server answered 2xx
              1   the server answered an error status (its problem JSON is still printed)
              64  bad arguments, or --data that is not valid JSON (nothing was sent)
              69  the server could not be reached, or did not answer within --timeout

            Example:
              export PIPELINE_USERNAME=admin PIPELINE_PASSWORD=admin
              pipeline create-pipeline --data @pipeline.json | jq -r .id
            """,
        subcommands: [
            CreatePipeline.self, GetPipeline.self, UpdatePipeline.self, TriggerPipeline.self,
            DeletePipeline.self, ListPipelines.self, ListRuns.self, GetRun.self, CancelRun.self,
            RetryRun.self, ReportStage.self, Watch.self,
        ]
    )
}
