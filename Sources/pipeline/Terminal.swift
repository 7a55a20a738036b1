import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How output should look, decided once per command: a person at a terminal gets tables, sentences
/// and colour; a pipe or file gets the server's JSON exactly as sent (scripts depend on it).
struct Terminal: Sendable {
    /// Standard output is a terminal and `--json` was not given: print human views.
    var isHuman: Bool
    /// Colour standard output (a terminal, and `NO_COLOR` unset or empty, see no-color.org).
    var coloursOutput: Bool
    /// Colour standard error, by the same rule applied to it.
    var coloursErrors: Bool

    /// Output for a pipe: the server's JSON, no colour. What tests and scripts see.
    static let plain = Terminal(isHuman: false, coloursOutput: false, coloursErrors: false)

    /// Looks at the process's real standard output and error.
    static func detect(json: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) -> Terminal {
        let colourAllowed = (environment["NO_COLOR"] ?? "").isEmpty
        let outputIsTerminal = isatty(STDOUT_FILENO) == 1
        return Terminal(
            isHuman: outputIsTerminal && !json,
            coloursOutput: outputIsTerminal && colourAllowed,
            coloursErrors: isatty(STDERR_FILENO) == 1 && colourAllowed)
    }

    /// `text` in `style` when standard output is coloured, else unchanged.
    func paint(_ text: String, _ style: Style) -> String {
        coloursOutput ? style.wrap(text) : text
    }
}

/// The few ANSI styles the views use; a run or stage status picks its colour here.
enum Style: String {
    case bold = "1"
    case dim = "2"
    case red = "31"
    case green = "32"
    case yellow = "33"
    case cyan = "36"

    /// `text` between this style's escape sequence and the reset sequence.
    func wrap(_ text: String) -> String { "\u{1B}[\(rawValue)m\(text)\u{1B}[0m" }

    /// Green for success, red for failure, yellow for work in progress, dim for the rest.
    static func of(status: String) -> Style {
        switch status {
        case "succeeded": .green
        case "failed", "timed_out": .red
        case "running", "queued": .yellow
        default: .dim
        }
    }
}
