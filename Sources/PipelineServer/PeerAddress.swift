import UVLoop

/// A transport that can say which address its client connects from. A protocol of its own (not
/// a `Transport` requirement) so in-memory transports need not pretend to have one; the HTTP
/// layer asks only where a per-client limit decides (event-stream subscribers per address,
/// failed logins per address).
protocol PeerAddressed: AnyObject {
    /// As text, looked up on each call.
    var peerAddress: String? { get }
    /// As a compact key, known from the accept: cheap enough to ask on every request.
    var peer: PeerAddress? { get }
}

extension Connection: PeerAddressed {}

extension RequestContext {
    /// The client's address, when the transport knows it (looked up on each call).
    var peerAddress: String? { (transport as? any PeerAddressed)?.peerAddress }
}
