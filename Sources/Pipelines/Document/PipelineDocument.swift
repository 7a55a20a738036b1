/// A validated pipeline configuration: what `POST`/`PUT /v1/pipelines` accept and `GET` returns.
/// Values only come from `decode(_:)` (or tests), so every instance satisfies the API.md rules.
package struct PipelineDocument: Sendable, Equatable {
    /// Display name, 1–200 Unicode scalars.
    package var name: String
    /// The repository URL or scp-like address, stored exactly as given.
    package var gitRepository: String
    /// The stages in execution order (0–100, unique names).
    package var stages: [Stage]
    /// Whether all stages start at once instead of one after another.
    package var parallel: Bool

    package init(name: String, gitRepository: String, stages: [Stage], parallel: Bool = false) {
        self.name = name
        self.gitRepository = gitRepository
        self.stages = stages
        self.parallel = parallel
    }
}

/// One step of a pipeline; runs snapshot its name, type and timeout when triggered.
package struct Stage: Sendable, Equatable {
    /// The three stage types and the fields each one owns.
    package enum Kind: Sendable, Equatable {
        case run(command: String)
        case build(dockerfile: String, tag: String, ecrRepository: String)
        /// The manifest is arbitrary JSON kept exactly as sent (member order, number literals).
        case deploy(k8sManifest: JSONValue, cluster: Cluster)
    }

    /// Timeout applied when a stage does not name one.
    package static let defaultTimeout = 600
    /// Accepted timeouts in seconds (one second to 30 days).
    package static let timeoutRange = 1...2_592_000

    /// Unique within its pipeline (canonically equivalent spellings count as equal).
    package var name: String
    package var kind: Kind
    /// Seconds a started stage may run before it times out.
    package var timeout: Int

    package init(name: String, kind: Kind, timeout: Int = Stage.defaultTimeout) {
        self.name = name
        self.kind = kind
        self.timeout = timeout
    }

    /// The wire name of the stage type: `Run`, `Build` or `Deploy`.
    package var typeName: String {
        switch kind {
        case .run: "Run"
        case .build: "Build"
        case .deploy: "Deploy"
        }
    }
}

/// The Kubernetes cluster a `Deploy` stage targets.
package struct Cluster: Sendable, Equatable {
    /// Namespace used when the document gives none (absent, `null` or `""`).
    package static let defaultNamespace = "default"

    package var name: String
    /// An http(s) URL, stored as given.
    package var serverURL: String
    package var namespace: String

    package init(name: String, serverURL: String, namespace: String = Cluster.defaultNamespace) {
        self.name = name
        self.serverURL = serverURL
        self.namespace = namespace
    }
}
