/// Left-aligned columns separated by two spaces, for terminal output.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    func render(indent: String = "") -> String {
        let widths = header.indices.map { i in ([header] + rows).map { $0[i].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            var text = indent
            for (i, cell) in cells.enumerated() {
                text += i == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 2)
            }
            return text
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}
