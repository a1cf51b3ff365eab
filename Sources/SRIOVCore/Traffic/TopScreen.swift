/// The `sriovctl top` screen as lines of text for a terminal of a given size: pure, so the layout
/// is tested without a terminal. Columns that do not fit are left out, least useful first.
public struct TopScreen: Sendable {
    public var rows: [VFTraffic]
    public var order: TrafficOrder
    public var intervalSeconds: Double
    public var width: Int
    public var height: Int
    public var styling: Styling
    /// Shown in the title line: what is being watched ("this host", the simulated file).
    public var hostLabel: String

    /// How much ANSI styling the lines carry.
    public enum Styling: Sendable {
        /// Plain text (printed once, or to a file).
        case none
        /// Bold title and reverse-video header, no colour: NO_COLOR, or a terminal without colours.
        case monochrome
        /// Colours for rates, drops and notes as well.
        case colour
    }

    public init(
        rows: [VFTraffic], order: TrafficOrder, intervalSeconds: Double, width: Int, height: Int,
        styling: Styling, hostLabel: String
    ) {
        self.rows = rows
        self.order = order
        self.intervalSeconds = intervalSeconds
        self.width = width
        self.height = height
        self.styling = styling
        self.hostLabel = hostLabel
    }

    struct Column {
        var title: String
        var width: Int
        /// Lower goes first when the terminal is narrow; nil never goes.
        var dropOrder: Int?
        var rightAligned: Bool
        var cell: (VFTraffic) -> Cell
    }

    struct Cell {
        var text: String
        var style: Style = .plain
    }

    enum Style { case plain, rate, dim, alert, note }

    /// The lines to draw, each at most `width` columns wide (escape codes not counted).
    public func lines() -> [String] {
        guard width > 0, height > 0 else { return [] }
        var out: [String] = []
        out.append(fit(titleLine(), style: "\u{1B}[1m"))
        guard height > 1 else { return out }
        let columns = chosenColumns()
        let header = columns.map { pad($0.title, $0.width, right: $0.rightAligned) }.joined(separator: " ")
        out.append(fit(header, style: "\u{1B}[7m", fill: true))
        let sorted = order.sorted(rows)
        // Too narrow for the NOTE column: why VFs have no figures still gets a line of its own.
        var seenNotes: Set<String> = []
        let hiddenNotes =
            columns.contains { $0.title == "NOTE" } ? [] : sorted.compactMap(\.note).filter { seenNotes.insert($0).inserted }
        let room = height - 2 - (hiddenNotes.isEmpty || height < 4 ? 0 : 1)
        if sorted.isEmpty && room > 0 {
            out.append(fit("No VFs. Create some with `sriovctl apply` (see `sriovctl status`)."))
            return out
        }
        let shown = sorted.count > room ? max(room - 1, 0) : sorted.count
        for row in sorted.prefix(shown) {
            var used = 0
            var line = ""
            for (i, column) in columns.enumerated() {
                let cell = column.cell(row)
                let sep = i == 0 ? "" : " "
                let available = width - used - sep.count
                if available <= 0 { break }
                // The note, always last, runs to the edge instead of being padded.
                var text = column.title == "NOTE" ? cell.text : pad(cell.text, column.width, right: column.rightAligned)
                if text.count > available { text = String(text.prefix(available)) }
                line += sep + styled(text, cell.style)
                used += sep.count + text.count
            }
            // Printed once (no styling), lines end where their text does.
            out.append(styling == .none ? trimmedRight(line) : line)
        }
        if shown < sorted.count && room > 0 {
            out.append(fit("... \(sorted.count - shown) more VFs (a taller window shows them; s changes the order)"))
        }
        if !hiddenNotes.isEmpty && height >= 4 {
            out.append(fit("note: " + hiddenNotes.joined(separator: "; ")))
        }
        return out
    }

    private func titleLine() -> String {
        let withRates = rows.filter { $0.rxBitsPerSecond != nil }
        let rx = withRates.compactMap(\.rxBitsPerSecond).reduce(0, +)
        let tx = withRates.compactMap(\.txBitsPerSecond).reduce(0, +)
        let pfs = Set(rows.map(\.reading.pfPCI)).count
        func count(_ n: Int, _ what: String) -> String { "\(n) \(what)\(n == 1 ? "" : "s")" }
        // What a narrow terminal must still show comes first: the order and how to leave.
        return "sriovctl top - sort: \(order.rawValue) (s) - quit: q - \(count(rows.count, "VF")) on \(count(pfs, "PF"))"
            + " - rx \(Units.si(rx))bit/s tx \(Units.si(tx))bit/s - every \(Units.format(intervalSeconds, decimals: 1)) s - \(hostLabel)"
    }

    /// The columns that fit, in display order.
    func chosenColumns() -> [Column] {
        var columns = allColumns()
        func total(_ c: [Column]) -> Int { c.map(\.width).reduce(0, +) + max(c.count - 1, 0) }
        while total(columns) > width, let drop = columns.filter({ $0.dropOrder != nil }).min(by: { $0.dropOrder! < $1.dropOrder! }) {
            columns.removeAll { $0.title == drop.title }
        }
        return columns
    }

    private func allColumns() -> [Column] {
        let pfWidth = max(2, rows.map(\.reading.pf.count).max() ?? 2)
        let noteWidth = max(4, rows.compactMap { $0.note?.count }.max() ?? 4)
        func rate(_ value: Double?, _ row: VFTraffic) -> Cell {
            guard let value else { return Cell(text: row.source == nil ? "n/a" : "...", style: .dim) }
            return Cell(text: Units.si(value), style: value > 0 ? .rate : .plain)
        }
        func total(_ value: UInt64?) -> Cell {
            value.map { Cell(text: Units.si(Double($0)) + "B") } ?? Cell(text: "-", style: .dim)
        }
        return [
            Column(title: "PF", width: pfWidth, dropOrder: nil, rightAligned: false) { Cell(text: $0.reading.pf) },
            Column(title: "VF", width: 3, dropOrder: nil, rightAligned: true) { Cell(text: String($0.reading.index)) },
            Column(title: "VM", width: 5, dropOrder: 9, rightAligned: true) { r in
                Cell(text: r.reading.vm.map(String.init) ?? "-", style: r.reading.vm == nil ? .dim : .plain)
            },
            Column(title: "MAC", width: 17, dropOrder: 2, rightAligned: false) { r in
                Cell(text: r.reading.settings.mac?.description ?? "-")
            },
            Column(title: "VLAN", width: 4, dropOrder: 4, rightAligned: true) { r in
                Cell(text: r.reading.settings.vlan.map { $0 == 0 ? "-" : String($0) } ?? "-")
            },
            Column(title: "SOURCE", width: 6, dropOrder: 5, rightAligned: false) { r in
                Cell(text: r.source?.rawValue ?? "none", style: r.source == nil ? .dim : .plain)
            },
            Column(title: "RX bit/s", width: 8, dropOrder: nil, rightAligned: true) { rate($0.rxBitsPerSecond, $0) },
            Column(title: "TX bit/s", width: 8, dropOrder: nil, rightAligned: true) { rate($0.txBitsPerSecond, $0) },
            Column(title: "RX pkt/s", width: 8, dropOrder: 7, rightAligned: true) { rate($0.rxPacketsPerSecond, $0) },
            Column(title: "TX pkt/s", width: 8, dropOrder: 7, rightAligned: true) { rate($0.txPacketsPerSecond, $0) },
            Column(title: "DROPS rx/tx", width: 11, dropOrder: 6, rightAligned: true) { r in
                guard let c = r.counters else { return Cell(text: "-", style: .dim) }
                let rx = c.rxDropped ?? 0, tx = c.txDropped ?? 0
                let text = c.rxDropped == nil && c.txDropped == nil ? "-" : "\(Units.si(Double(rx)))/\(Units.si(Double(tx)))"
                return Cell(text: text, style: rx + tx > 0 ? .alert : .plain)
            },
            Column(title: "RX total", width: 8, dropOrder: 3, rightAligned: true) { total($0.counters?.rxBytes) },
            Column(title: "TX total", width: 8, dropOrder: 3, rightAligned: true) { total($0.counters?.txBytes) },
            Column(title: "NOTE", width: noteWidth, dropOrder: 1, rightAligned: false) { r in
                Cell(text: r.note ?? "", style: .note)
            },
        ]
    }

    private func pad(_ text: String, _ width: Int, right: Bool) -> String {
        guard text.count < width else { return text }
        let spaces = String(repeating: " ", count: width - text.count)
        return right ? spaces + text : text + spaces
    }

    /// Cuts a line to the width; `fill` pads it so a reverse-video bar spans the screen.
    private func fit(_ text: String, style: String? = nil, fill: Bool = false) -> String {
        var line = text.count > width ? String(text.prefix(width)) : text
        if fill && styling != .none { line = pad(line, width, right: false) }
        guard let style, styling != .none else { return trimmedRight(line) }
        return style + line + "\u{1B}[0m"
    }

    private func trimmedRight(_ line: String) -> String {
        guard let last = line.lastIndex(where: { $0 != " " }) else { return "" }
        return String(line[...last])
    }

    private func styled(_ text: String, _ style: Style) -> String {
        guard styling == .colour, !text.trimmingSpaces().isEmpty else { return text }
        let code: String
        switch style {
        case .plain: return text
        case .rate: code = "32"
        case .dim: code = "90"
        case .alert: code = "31"
        case .note: code = "33"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}
