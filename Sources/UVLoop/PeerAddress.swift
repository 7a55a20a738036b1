import CLibUV
import Glibc

/// The IP address a connection comes from (no port), as a compact hashable key: what per-client
/// limits count by. IPv4 addresses are held in `low`, IPv6 addresses in both halves.
public struct PeerAddress: Hashable, Sendable {
    public let high: UInt64
    public let low: UInt64
    public let isIPv6: Bool

    /// The peer of a connected TCP handle; nil if the socket has none (already reset).
    static func of(_ handle: UnsafeMutablePointer<uv_tcp_t>) -> PeerAddress? {
        var storage = sockaddr_storage()
        var length = Int32(MemoryLayout<sockaddr_storage>.size)
        let status = unsafe withUnsafeMutablePointer(to: &storage) { storage in
            unsafe storage.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                unsafe uv_tcp_getpeername(handle, $0, &length)
            }
        }
        guard status == 0 else { return nil }
        let family = Int32(storage.ss_family)
        return unsafe withUnsafeBytes(of: &storage) { bytes in
            switch family {
            case AF_INET:
                let address = unsafe bytes.loadUnaligned(
                    fromByteOffset: MemoryLayout<sockaddr_in>.offset(of: \.sin_addr)!, as: UInt32.self)
                return PeerAddress(high: 0, low: UInt64(address), isIPv6: false)
            case AF_INET6:
                let offset = MemoryLayout<sockaddr_in6>.offset(of: \.sin6_addr)!
                return unsafe PeerAddress(
                    high: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self),
                    low: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self), isIPv6: true)
            default:
                return nil
            }
        }
    }
}
