import HTTP1
import UVLoop

extension HTTPConnection {
    func send(_ response: Response, for head: RequestHead, keepAlive: Bool) {
        write(response, method: head.method, keepAlive: keepAlive, announceKeepAlive: keepAlive && head.version == .http1_0)
        server.accessLog.record(head, status: response.status, bytes: response.body.count)
    }

    /// Serialises the head with framing headers and writes head and body as one vectored write.
    /// `HEAD` gets the `Content-Length` the `GET` body has, and no body. `announceKeepAlive` says
    /// `Connection: keep-alive` for an HTTP/1.0 client, which otherwise waits for the close.
    func write(_ response: Response, method: String, keepAlive: Bool, announceKeepAlive: Bool = false) {
        let noContent = response.status.code == 204 || response.status.code == 304
        let headBytes = ResponseHead(status: response.status, headers: response.headers)
            .serialized(date: server.dateHeader, contentLength: noContent ? nil : response.body.count,
                        chunked: false, close: !keepAlive, announceKeepAlive: announceKeepAlive)
        connection.write(headBytes, method == "HEAD" || noContent ? [] : response.body)
    }

    /// Starts a Server-Sent Events response: chunked for HTTP/1.1, close-delimited for 1.0.
    func startStream(_ response: Response, for head: RequestHead, attach: (EventStreamSink) -> Void) {
        let chunked = head.version == .http1_1
        let headBytes = ResponseHead(status: response.status, headers: response.headers)
            .serialized(date: server.dateHeader, contentLength: nil, chunked: chunked, close: !chunked)
        connection.write(headBytes)
        server.accessLog.record(head, status: response.status, bytes: 0)
        if head.method == "HEAD" {
            if chunked { enter(.idle) } else { connection.closeAfterFlush() }
            return
        }
        let sink = EventStreamSink(connection: connection, chunked: chunked)
        sink.onEnd = { [weak self] in self?.streamDidEnd() }
        eventStream = sink
        enter(.streaming)
        attach(sink)
    }
}
