import Configuration
import Foundation

/// Where the server is and who we are, resolved with one precedence for every setting: a flag,
/// then an environment variable (`PIPELINE_URL`, `PIPELINE_USERNAME`, `PIPELINE_PASSWORD`), then
/// the optional config file (`base_url` and `username` only: a password never lives in a file).
///
/// swift-configuration does the layering; it reads JSON files, so the file is
/// `$XDG_CONFIG_HOME/pipeline/config.json` (else `~/.config/pipeline/config.json`).
struct Settings {
    var baseURL: String
    var username: String?
    var password: String?

    static let defaultBaseURL = "http://127.0.0.1:8080"

    /// The config file's path for this environment (it need not exist).
    static func configFile(environment: [String: String]) -> String {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        return base + "/pipeline/config.json"
    }

    /// Resolves the settings; a config file that is not valid JSON is a usage error naming it.
    static func resolve(
        baseURL: String?, username: String?, password: String?, environment: [String: String]
    ) async throws -> Settings {
        var flags: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in [("url", baseURL), ("username", username), ("password", password)] {
            if let value { flags[AbsoluteConfigKey([key])] = ConfigValue(.string(value), isSecret: key == "password") }
        }
        let path = configFile(environment: environment)
        let file: FileProvider<JSONSnapshot>
        do {
            let location = ConfigReader(
                provider: InMemoryProvider(values: [
                    "filePath": ConfigValue(.string(path), isSecret: false),
                    "allowMissing": ConfigValue(.bool(true), isSecret: false),
                ]))
            file = try await FileProvider<JSONSnapshot>(config: location)
        } catch {
            throw Outcome.usageError("cannot read the config file \(path): \(error)")
        }
        let fromFlags = InMemoryProvider(name: "flags", values: flags)
        // `url` is PIPELINE_URL, `username` PIPELINE_USERNAME: the provider upper-cases and joins.
        let fromEnvironment = KeyMappingProvider(
            upstream: EnvironmentVariablesProvider(
                environmentVariables: environment, secretsSpecifier: .specific(["PIPELINE_PASSWORD"]))
        ) { AbsoluteConfigKey(["pipeline"] + $0.components) }
        let fromFile = KeyMappingProvider(upstream: file) {
            $0.components == ["url"] ? AbsoluteConfigKey(["base_url"]) : $0
        }
        let settings = ConfigReader(providers: [fromFlags, fromEnvironment, fromFile])
        let secrets = ConfigReader(providers: [fromFlags, fromEnvironment])
        return Settings(
            baseURL: settings.string(forKey: "url", default: defaultBaseURL),
            username: settings.string(forKey: "username"),
            password: secrets.string(forKey: "password", isSecret: true))
    }
}
