/// Every size limit the request parser enforces, in one place, so the server, its flags and the
/// tests agree on the numbers and on the status each one produces.
package struct HTTPLimits: Sendable, Equatable {
    /// Longest request line, CRLF and any empty lines before it included; longer → 414.
    package var maxRequestLineBytes = 8 * 1024
    /// Largest header section (all field lines and the final CRLF); larger → 431. Trailers get the
    /// same budget. At most 65,535: a kept field stores its counts in two bytes (`HeadBytes`).
    package var maxHeaderBytes = 16 * 1024
    /// Most field lines in the header section (and, separately, in the trailers); more → 431.
    package var maxHeaderCount = 100
    /// Largest request body; larger → 413, decided from `Content-Length` before any body byte is
    /// read, and for a chunked body as soon as the declared chunk sizes pass it.
    package var maxBodyBytes = 1 << 20
    /// Longest chunk-size line including chunk extensions; longer → 400 (extensions are ignored,
    /// so this only stops a client from making us buffer them without end).
    package var maxChunkLineBytes = 4 * 1024

    /// The limits documented in the API contract.
    package static let standard = HTTPLimits()

    /// Creates the standard limits; change single members afterwards.
    package init() {}
}
