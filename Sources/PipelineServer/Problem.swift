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
        writer.key("type"); writer.string("about:blank")
        writer.key("title"); writer.string(status.reason)
        writer.key("status"); writer.integer(status.code)
        writer.key("detail"); writer.string(detail)
        if !errors.isEmpty {
            writer.key("errors")
            writer.beginArray()
            for error in errors {
                writer.beginObject()
                writer.key("field"); writer.string(error.field)
                writer.key("message"); writer.string(error.message)
                writer.endObject()
            }
            writer.endArray()
        }
        writer.endObject()
        return Response(status: status, contentType: "application/problem+json", headers: headers, body: writer.bytes)
    }

    /// The response for a framing error found by the parser (the connection closes after it).
    static func response(for error: HTTPError) -> Response {
        response(error.status, error.detail)
    }
}
