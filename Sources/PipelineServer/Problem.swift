import HTTP1
import Pipelines

/// RFC 9457 problem details, the one error shape of the API.
enum Problem {
    /// `{"type": "about:blank", "title", "status", "detail"[, "errors"]}` as
    /// `application/problem+json`.
    static func response(
        _ status: HTTPStatus, _ detail: String, errors: [FieldError] = [],
        headers: HTTPHeaders = [:]
    ) -> Response {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("type")
        writer.string("about:blank")
        writer.key("title")
        writer.string(status.reason)
        writer.key("status")
        writer.integer(status.code)
        writer.key("detail")
        writer.string(detail)
        if !errors.isEmpty {
            writer.key("errors")
            writer.beginArray()
            for error in errors {
                writer.beginObject()
                writer.key("field")
                writer.string(error.field)
                writer.key("message")
                writer.string(error.message)
                writer.endObject()
            }
            writer.endArray()
        }
        writer.endObject()
        return Response.problem(status, writer.bytes, headers: headers)
    }

    /// The response for whatever a handler threw: the one mapping from failures to statuses.
    /// Anything not listed here is a bug, answered with a 500 that says nothing of internals.
    static func response(for failure: any Error) -> Response {
        switch failure {
        case let error as RegistryError:
            switch error {
            case .notFound: response(.notFound, error.detail)
            case .preconditionFailed(let current):
                response(.preconditionFailed, error.detail, headers: ["ETag": current])
            case .invalidCursor, .invalidLimit: response(.badRequest, error.detail)
            }
        case let error as PipelineRegistry.RunRequestError:
            switch error {
            case .pipelineNotFound, .run(.runNotFound), .run(.stageNotFound): response(.notFound, error.detail)
            case .run(.conflict): response(.conflict, error.detail)
            case .run(.full): response(.serviceUnavailable, error.detail, headers: ["Retry-After": "1"])
            case .invalidCursor: response(.badRequest, error.detail)
            }
        case let error as DocumentError:
            switch error {
            case .malformed: response(.badRequest, error.detail)
            case .invalid(let errors): response(.unprocessableContent, error.detail, errors: errors)
            }
        case RequestFailure.malformedJSON(let error):
            response(.badRequest, "The request body is not valid JSON: \(error.reason) at byte offset \(error.offset).")
        case RequestFailure.invalidBody(let detail, let errors):
            response(.unprocessableContent, detail, errors: errors)
        case RequestFailure.badRequest(let detail):
            response(.badRequest, detail)
        default:
            response(.internalServerError, "The server could not answer this request.")
        }
    }

    /// The answer to a request whose change — or a change its answer showed — could not be made
    /// durable: memory went back to what is committed, so the client may simply try again.
    static func notDurable(_ failure: StoreFailure) -> Response {
        response(
            .serviceUnavailable,
            "The change could not be saved (\(failure.detail)); nothing was changed. Try again later.",
            headers: ["Retry-After": "1"])
    }

    /// The response for a framing error found by the parser (the connection closes after it).
    static func response(for error: HTTPError) -> Response {
        response(error.status, error.detail)
    }
}
