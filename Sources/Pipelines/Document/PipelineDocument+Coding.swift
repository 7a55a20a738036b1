/// The wire form of a document: strict decoding with every problem reported, and encoding in
/// the key order API.md fixes (`name, git_repository, stages, parallel, id`).
extension PipelineDocument {
    /// Parses and validates a request body. Top-level `id` is ignored so a GET body can be PUT back.
    package static func decode(_ bytes: [UInt8]) -> Result<PipelineDocument, DocumentError> {
        let root: JSONValue
        do {
            root = try JSONReader.parse(bytes)
        } catch {
            return .failure(.malformed(offset: error.offset, reason: error.reason))
        }
        var validator = DocumentValidator()
        guard let document = validator.document(from: root) else {
            return .failure(.invalid(validator.errors))
        }
        return .success(document)
    }

    /// The response body for this document stored under `id`, with defaults filled in.
    package func encoded(id: String) -> [UInt8] {
        var writer = JSONWriter(capacity: 512)
        write(to: &writer, id: id)
        return writer.bytes
    }

    /// Writes the document as one JSON object (for callers embedding it in a larger body).
    package func write(to writer: inout JSONWriter, id: String) {
        writer.beginObject()
        writer.key("name"); writer.string(name)
        writer.key("git_repository"); writer.string(gitRepository)
        writer.key("stages")
        writer.beginArray()
        for stage in stages { stage.write(to: &writer) }
        writer.endArray()
        writer.key("parallel"); writer.bool(parallel)
        writer.key("id"); writer.string(id)
        writer.endObject()
    }
}

extension Stage {
    /// `name, type, <type fields>, timeout`.
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("name"); writer.string(name)
        writer.key("type"); writer.string(typeName)
        switch kind {
        case .run(let command):
            writer.key("command"); writer.string(command)
        case .build(let dockerfile, let tag, let ecrRepository):
            writer.key("dockerfile"); writer.string(dockerfile)
            writer.key("tag"); writer.string(tag)
            writer.key("ecr_repository"); writer.string(ecrRepository)
        case .deploy(let manifest, let cluster):
            writer.key("k8s_manifest"); writer.value(manifest)
            writer.key("cluster")
            writer.beginObject()
            writer.key("name"); writer.string(cluster.name)
            writer.key("server_url"); writer.string(cluster.serverURL)
            writer.key("namespace"); writer.string(cluster.namespace)
            writer.endObject()
        }
        writer.key("timeout"); writer.integer(timeout)
        writer.endObject()
    }
}
