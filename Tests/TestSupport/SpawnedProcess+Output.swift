import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension SpawnedProcess {
    /// What the child wrote to its piped standard output and error.
    public struct Output: Sendable {
        public var standardOutput: String
        public var standardError: String
    }

    /// Reads the piped standard output and error (whichever are pipes) together until both end,
    /// or until `seconds` have passed; answers what was read. Reading both at once means a child
    /// that fills one pipe while the test waits on the other cannot stall.
    public func readOutput(within seconds: Double = .infinity) -> Output {
        let deadline = ContinuousClock.now + .seconds(min(seconds, 1e9))
        var open = [standardOutput, standardError].map { $0?.fileDescriptor }
        var bytes: [[UInt8]] = [[], []]
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while open.contains(where: { $0 != nil }) {
            var polled = open.map { pollfd(fd: $0 ?? -1, events: Int16(POLLIN), revents: 0) }
            let left = ContinuousClock.now.duration(to: deadline).components
            let milliseconds = Int32(clamping: max(0, left.seconds * 1000 + left.attoseconds / 1_000_000_000_000_000))
            let ready = unsafe poll(&polled, nfds_t(polled.count), milliseconds)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { break }
            for index in polled.indices where polled[index].revents != 0 {
                guard let descriptor = open[index] else { continue }
                let count = unsafe chunk.withUnsafeMutableBytes { unsafe read(descriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR || errno == EAGAIN { continue }
                // End of file (or a read error, such as a pseudo-terminal's EIO): this one is done.
                guard count > 0 else {
                    open[index] = nil
                    continue
                }
                bytes[index] += chunk[..<count]
            }
        }
        return Output(
            standardOutput: String(decoding: bytes[0], as: UTF8.self),
            standardError: String(decoding: bytes[1], as: UTF8.self))
    }
}
