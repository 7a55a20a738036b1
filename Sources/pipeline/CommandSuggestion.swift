/// "Did you mean create-pipeline?" for a misspelt command, as git and gh say it.
enum CommandSuggestion {
    /// The message for `word` when it is not a command (nor an option), or `nil` when it is one.
    static func message(for word: String, among commands: [String]) -> String? {
        guard !word.hasPrefix("-"), !commands.contains(word) else { return nil }
        let ranked = commands.map { ($0, distance(word, $0)) }.min { $0.1 < $1.1 }
        if let (best, cost) = ranked, cost <= max(2, best.count / 3) {
            return "unknown command '\(word)'. Did you mean \(best)?"
        }
        return "unknown command '\(word)'. See 'pipeline --help' for the commands."
    }

    /// Levenshtein distance: insertions, deletions and substitutions each cost 1.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
