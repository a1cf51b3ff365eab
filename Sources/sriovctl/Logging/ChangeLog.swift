import Logging
import SRIOVEngine

/// One line per change on standard error. Under systemd (JOURNAL_STREAM set) each line starts
/// with its syslog priority (`<6>`), so the journal files it at the right level.
struct ChangeLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    let toJournal: Bool

    init(label: String) {
        toJournal = ThisProcess.environment("JOURNAL_STREAM") != nil
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let prefix = toJournal ? "<\(priority(event.level))>" : "sriovctl: "
        printError(prefix + "\(event.message)")
    }

    private func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}

enum ChangeLog {
    static let logger: Logger = {
        LoggingSystem.bootstrap(ChangeLogHandler.init)
        return Logger(label: "sriovctl")
    }()
}
