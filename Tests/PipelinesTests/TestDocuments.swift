@testable import Pipelines

extension PipelineDocument {
    /// A valid document with no stages, for tests that only need something to store.
    static func named(_ name: String) -> PipelineDocument {
        try! decode(Array(#"{"name":"\#(name)","git_repository":"git@host:repo","stages":[]}"#.utf8)).get()
    }
}

extension PipelineEntry {
    /// The `name` member of the stored GET body.
    var name: String? {
        (try? JSONReader.parse(body))?.objectMembers?.first { $0.key == "name" }?.value.stringValue
    }
}
