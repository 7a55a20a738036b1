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
            guard line.index(after: colon) != line.endIndex else {
                throw Failure(description: "credentials file \(file) has an empty password; an account needs one")
            }
            return Credentials(username: String(line[..<colon]), password: String(line[line.index(after: colon)...]))
        }
        return try fromEnvironment(username: env("PIPELINE_USERNAME"), password: env("PIPELINE_PASSWORD"))
    }

    /// Both variables, each non-empty, or neither (the demo account). An empty one, or one
    /// without the other, is a mistake that must not quietly leave an open or a demo account.
    static func fromEnvironment(username: String?, password: String?) throws(Failure) -> Credentials {
        switch (username, password) {
        case (nil, nil):
            return .demo
        case (let username?, let password?) where !username.isEmpty && !password.isEmpty:
            return Credentials(username: username, password: password)
        default:
            throw Failure(
                description: "PIPELINE_USERNAME and PIPELINE_PASSWORD must both be set and non-empty "
                    + "(or both unset for the demo account on loopback)")
        }
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
