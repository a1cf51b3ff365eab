import SRIOVCore
import SRIOVHost

/// `sriovctl plan`: reads the config, observes the host, plans. Changes nothing.
public enum PlanUseCase {
    public static func run(on selection: HostSelection) throws -> PlanningContext {
        let config = try ConfigFile.load(selection.configPath)
        let host = try selection.open()
        let context = try PlanningContext.make(config, on: host)
        try host.files.escapes.check()
        return context
    }
}
