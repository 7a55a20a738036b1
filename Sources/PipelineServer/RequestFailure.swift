import Pipelines

/// The ways a routed request can fail that belong to HTTP rather than to the domain (whose
/// `RegistryError`, `RunRequestError` and `DocumentError` handlers throw as they are).
/// `Problem.response(for:)` is the one place any of them becomes a status and a problem body.
enum RequestFailure: Error {
    /// A body that is not JSON at all (400).
    case malformedJSON(JSONSyntaxError)
    /// Well-formed JSON of the wrong shape for a small body such as a stage result (422).
    case invalidBody(String, [FieldError])
    /// A request the route cannot serve as asked, with the sentence that says why (400).
    case badRequest(String)
}
