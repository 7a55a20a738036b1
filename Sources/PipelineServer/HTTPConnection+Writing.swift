import HTTP1

extension HTTPConnection {
    /// The one place a response is released: the machine queues `reply` in request order and
    /// hands out whatever can now leave. Called at once for a synchronous route, or later through
    /// a `Responder`.
    func respond(to id: Machine.RequestID, for head: RequestHead, with reply: Reply) {
        let kind: Machine.Kind
        switch reply {
        case .response: kind = .complete
        case .stream where head.method != "HEAD": kind = .stream
        // A stream's head alone: chunked framing can end it, a close-delimited one only the close.
        case .stream: kind = head.version == .http1_1 ? .complete : .last
        }
        if let keepAlive = machine.releaseAtOnce(id, kind: kind) {
            deliver(reply, for: head, keepAlive: keepAlive)
            // An answer that keeps the connection leaves nothing due; a last one leaves its close.
            if !keepAlive { performActions() }
        } else {
            machine.responseReady(id, .reply(reply, for: head), kind: kind)
            performActions()
        }
        resumeInputIfPaused()
    }

    /// Does what the machine decided, in order, until nothing more is due.
    func performActions() {
        while let action = machine.nextAction() {
            switch action {
            case .send(let outgoing, let keepAlive):
                deliver(outgoing, keepAlive: keepAlive)
            case .sendContinue:
                transport.write(Self.continueLine, [])
            case .closeAfterFlush:
                transport.closeAfterFlush()
            case .close:
                transport.close()
            }
        }
    }

    private func deliver(_ outgoing: Outgoing, keepAlive: Bool) {
        switch outgoing {
        case .reply(let reply, let head): deliver(reply, for: head, keepAlive: keepAlive)
        case .failure(let response, let method):
            write(response, method: method, keepAlive: false, date: server.dateHeader)
        }
    }

    private func deliver(_ reply: Reply, for head: RequestHead, keepAlive: Bool) {
        switch reply {
        case .response(let response): send(response, for: head, keepAlive: keepAlive)
        case .stream(let response, let attach): startStream(response, for: head, attach: attach)
        }
    }

    private func send(_ response: Response, for head: RequestHead, keepAlive: Bool) {
        let server = self.server  // one strong reference for the date and the log, not one each
        write(
            response, method: head.method, keepAlive: keepAlive,
            announceKeepAlive: keepAlive && head.version == .http1_0, date: server.dateHeader)
        server.accessLog.record(head, status: response.status, bytes: response.body.count)
    }

    /// Serialises the head with framing headers and writes head and body as one vectored write.
    /// `HEAD` gets the `Content-Length` the `GET` body has, and no body. `announceKeepAlive` says
    /// `Connection: keep-alive` for an HTTP/1.0 client, which otherwise waits for the close.
    private func write(
        _ response: Response, method: String, keepAlive: Bool, announceKeepAlive: Bool = false, date: String
    ) {
        let noContent = response.status.code == 204 || response.status.code == 304
        var headBytes: [UInt8] = []
        swap(&headBytes, &server.responseHeadBuffer)
        headBytes.removeAll(keepingCapacity: true)
        response.head.serialize(
            into: &headBytes, date: date, contentLength: noContent ? nil : response.body.count,
            chunked: false, close: !keepAlive, announceKeepAlive: announceKeepAlive)
        transport.write(headBytes, method == "HEAD" || noContent ? [] : response.body)
        swap(&headBytes, &server.responseHeadBuffer)
    }

    /// Starts a Server-Sent Events response: chunked for HTTP/1.1, close-delimited for 1.0. For
    /// `HEAD` only the head is sent (the machine was told whether the connection survives it).
    private func startStream(_ response: Response, for head: RequestHead, attach: (EventStreamSink) -> Void) {
        let chunked = head.version == .http1_1
        let headBytes = response.head.serialized(
            date: server.dateHeader, contentLength: nil, chunked: chunked, close: !chunked)
        transport.write(headBytes, [])
        server.accessLog.record(head, status: response.status, bytes: 0)
        guard head.method != "HEAD" else { return }
        let sink = EventStreamSink(transport: transport, chunked: chunked)
        sink.onEnd = { [weak self] in self?.streamEnded() }
        eventStream = sink
        attach(sink)
    }

    /// The stream ended (its subscriber fell behind, or the server is stopping): its last frames
    /// get the drain window, then the connection closes.
    private func streamEnded() {
        machine.streamEnded(now: server.clock.now)
        performActions()
    }

    private static let continueLine = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
}
