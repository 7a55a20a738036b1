/// Lays out rows in columns padded to their widest cell, like `gh`'s lists; the last column is not
/// padded, so no line ends in spaces.
struct Table {
    /// Column titles, printed first (bold on a colour terminal).
    var headers: [String]
    /// Each row's cells as plain text, with an optional style per cell.
    var rows: [[(text: String, style: Style?)]] = []

    /// The table as text, one line per row ending in a newline.
    func render(_ terminal: Terminal) -> String {
        let widths = headers.indices.map { column in
            rows.reduce(headers[column].count) { max($0, $1[column].text.count) }
        }
        func line(_ cells: [(text: String, style: Style?)]) -> String {
            cells.enumerated().map { column, cell in
                let padding =
                    column == cells.count - 1 ? "" : String(repeating: " ", count: widths[column] - cell.text.count)
                return (cell.style.map { terminal.paint(cell.text, $0) } ?? cell.text) + padding
            }.joined(separator: "  ") + "\n"
        }
        return line(headers.map { ($0, Style.bold) }) + rows.map(line).joined()
    }
}
