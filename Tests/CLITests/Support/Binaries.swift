import Foundation

/// Finds the built `pipeline` and `pipeline-server` executables: SwiftPM puts every product in
/// the build directory that also holds the test bundle, so the tests look next to themselves.
enum Binaries {
    /// The build products directory (e.g. `.build/debug`), if one holding `pipeline` was found.
    static let directory: URL? = candidateDirectories.first {
        FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("pipeline").path)
    }

    /// The CLI under test.
    static var pipeline: URL? { directory?.appendingPathComponent("pipeline") }

    /// The server the CLI talks to. `PIPELINE_TEST_SERVER` may name another executable that takes
    /// the same flags (to run these tests against a different server build).
    static var server: URL? {
        if let override = ProcessInfo.processInfo.environment["PIPELINE_TEST_SERVER"] {
            return URL(fileURLWithPath: override)
        }
        guard let url = directory?.appendingPathComponent("pipeline-server"),
            FileManager.default.isExecutableFile(atPath: url.path)
        else { return nil }
        return url
    }

    private static var candidateDirectories: [URL] {
        var directories = Bundle.allBundles
            .filter { $0.bundlePath.hasSuffix(".xctest") }
            .map { $0.bundleURL.deletingLastPathComponent() }
        directories.append(URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent())
        directories.append(
            URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent())
        return directories
    }

    /// This process's environment without any `PIPELINE_*` variable, so the developer's own
    /// settings cannot leak into a test.
    static var cleanEnvironment: [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PIPELINE_") }
    }
}

/// A failure of the test harness itself (a binary missing, a process that did not start).
struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
