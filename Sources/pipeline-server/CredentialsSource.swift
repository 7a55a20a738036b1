import Glibc
import PipelineServer

/// Where the API account comes from: environment, a file, or (neither) the demo account.
enum CredentialsSource {
    /// A credentials file that cannot be used: a start-up failure (status 1), not a usage error.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func load(file: String?) throws(Failure) -> Credentials {
        if let file {
            guard let text = readFile(file) else {
                throw Failure(description: "cannot read credentials file \(file): \(String(cString: strerror(errno)))")
            }
            let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                throw Failure(description: "credentials file \(file) must hold one line username:password")
            }
            return Credentials(username: String(line[..<colon]), password: String(line[line.index(after: colon)...]))
        }
        if let username = env("PIPELINE_USERNAME"), let password = env("PIPELINE_PASSWORD") {
            return Credentials(username: username, password: password)
        }
        return .demo
    }

    private static func readFile(_ path: String) -> String? {
        guard let handle = fopen(path, "r") else { return nil }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&chunk, 1, chunk.count, handle)
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
