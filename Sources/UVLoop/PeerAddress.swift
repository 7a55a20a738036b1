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

extension PeerAddress: CustomStringConvertible {
    /// The address as text (`127.0.0.1`, `::1`), for log lines: formatted on each call, so a
    /// per-client table can key on the compact value and spell it only when it says something.
    public var description: String {
        var text = [CChar](repeating: 0, count: 48)  // INET6_ADDRSTRLEN is 46
        // The bytes as `of(_:)` loaded them: IPv4 in the low 4 bytes, IPv6 high then low.
        let written =
            isIPv6
            ? unsafe withUnsafeBytes(of: (high, low)) { unsafe inet_ntop(AF_INET6, $0.baseAddress, &text, 48) }
            : unsafe withUnsafeBytes(of: UInt32(truncatingIfNeeded: low)) {
                unsafe inet_ntop(AF_INET, $0.baseAddress, &text, 48)
            }
        guard unsafe written != nil else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The address `text` names (`10.0.0.1`, `::1`); nil unless it is a numeric IPv4 or IPv6
    /// address. Lets tests give an in-memory connection an address of their choosing.
    package init?(_ text: String) {
        var ipv4: UInt32 = 0
        if unsafe inet_pton(AF_INET, text, &ipv4) == 1 {
            self.init(high: 0, low: UInt64(ipv4), isIPv6: false)
            return
        }
        var ipv6: (UInt64, UInt64) = (0, 0)
        guard unsafe inet_pton(AF_INET6, text, &ipv6) == 1 else { return nil }
        self.init(high: ipv6.0, low: ipv6.1, isIPv6: true)
    }
}
