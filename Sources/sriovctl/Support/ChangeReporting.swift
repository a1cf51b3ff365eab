import ArgumentParser
import SRIOVEngine

/// Prints what a list of host changes did; a failed one is exit 1.
func report(_ changes: ChangeReport) throws {
    changes.lines.forEach { print($0.terminalSafe) }
    if changes.failed { throw ExitCode(ExitStatus.hostFailed.rawValue) }
}

/// The sriovctl that units and hookscripts run: `--binary`, or this one.
func thisProgram(_ binary: String?) throws -> String {
    try UnitInstaller.program(binary)
}
