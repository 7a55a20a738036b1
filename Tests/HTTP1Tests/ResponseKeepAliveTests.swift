import HTTP1
import Testing

/// `Connection: keep-alive` is written only when asked for (HTTP/1.0 clients), never with `close`.
struct ResponseKeepAliveTests {
    let date = "Sun, 06 Nov 1994 08:49:37 GMT"

    @Test func keepAliveIsAnnouncedOnlyWhenAsked() {
        let head = ResponseHead(status: .ok)
        let announced = head.serialized(
            date: date, contentLength: 2, chunked: false, close: false, announceKeepAlive: true)
        #expect(
            String(decoding: announced, as: UTF8.self)
                == "HTTP/1.1 200 OK\r\nDate: \(date)\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n")
        let silent = head.serialized(date: date, contentLength: 2, chunked: false, close: false)
        #expect(!String(decoding: silent, as: UTF8.self).contains("Connection"))
    }
}
