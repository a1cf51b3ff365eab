import ArgumentParser
import Logging
import MetricsServer
import SRIOVCore
import SRIOVEngine
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Prometheus metrics on /metrics: per-VF traffic, VF settings, drift, the last apply.",
        discussion: """
            Serves http://127.0.0.1:9808/metrics by default: loopback only, read-only (GET and HEAD). \
            Each scrape reads every PF with one netlink dump; nothing is cached or written. \
            SIGTERM stops it gracefully (answers in flight finish). `serve enable` installs it as \
            the systemd service sriovctl-metrics.service.

            Metrics: sriovctl_vf_{rx,tx}_{bytes,packets,dropped}_total, sriovctl_vf_rx_{broadcast,multicast}_total \
            (labels pf, vf, pci, vm, source="vf"|"netdev"; none for VFs without counters), \
            sriovctl_vf_info (settings, counter_source, note), sriovctl_pf_vfs, sriovctl_pf_total_vfs, \
            sriovctl_config_valid, sriovctl_config_drift_changes, sriovctl_last_apply_{success,timestamp_seconds,changes}, \
            sriovctl_host_read_success, sriovctl_scrape_duration_seconds.

            Examples:
              sriovctl serve
              sriovctl serve --listen 192.168.1.5:9808      # reachable from the LAN: mind who can see it
              sriovctl serve enable --now
              curl -s http://127.0.0.1:9808/metrics
            """,
        subcommands: [Run.self, Enable.self, Disable.self, Status.self],
        defaultSubcommand: Run.self)

    struct ListenOption: ParsableArguments {
        @Option(
            help: ArgumentHelp(
                "Address and port: 127.0.0.1:9808, [::1]:9808, 0.0.0.0:9808 (all interfaces).",
                valueName: "host:port"))
        var listen: String = ListenAddress.default.description

        func address() throws -> ListenAddress {
            guard let address = ListenAddress(listen) else {
                throw EngineError.invalidInput(
                    "--listen \(listen.echoed(limit: 60)): give a numeric address and a port, like 127.0.0.1:9808 or [::1]:9808")
            }
            return address
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Serve /metrics until SIGTERM or Ctrl-C (the default).")
        @ParentCommand var sriovctl: SRIOVCtl
        @OptionGroup var options: ListenOption

        func run() async throws {
            let address = try options.address()
            let scrape = try MetricsScrape(checking: sriovctl.global.selection)  // a bad --root or --simulate fails now
            var logger = Logger(label: "sriovctl.serve")
            logger.logLevel = .notice
            if !address.isLoopback {
                printError("sriovctl: serving on \(address): every host that can reach it sees VF MACs, VLANs and VM ids")
            }
            let server = MetricsServer(
                host: address.host, port: address.port, logger: logger,
                page: { path in
                    switch path {
                    case "/metrics":
                        return .init(contentType: "text/plain; version=0.0.4; charset=utf-8", body: scrape.page())
                    case "/":
                        return .init(
                            contentType: "text/plain; charset=utf-8",
                            body: "sriovctl metrics: GET /metrics (Prometheus text format)\n")
                    default:
                        return nil
                    }
                },
                onListening: { host, port in
                    let shown = host.contains(":") ? "[\(host)]" : host
                    printNow("serving metrics on http://\(shown):\(port)/metrics (SIGTERM or Ctrl-C stops)")
                })
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: server)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            do {
                try await group.run()
            } catch let error as BindError {
                let hint =
                    error.isAddressInUse
                    ? "another process listens there (`ss -ltnp 'sport = :\(address.port)'` names it); pick another port with --listen"
                    : error.isAddressNotAvailable
                        ? "no interface of this host has that address; give one of `ip -br addr`, or 127.0.0.1"
                        : "pick another address or port with --listen"
                throw EngineError.hostFailed("\(error): \(hint)")
            } catch {
                throw EngineError.hostFailed("serve stopped: \(error)")
            }
        }
    }

    struct UnitOptions: ParsableArguments {
        @Option(help: ArgumentHelp("The sriovctl the service runs (default: this one).", valueName: "path"))
        var binary: String?
        @OptionGroup var listen: ListenOption

        func rendered(_ global: GlobalOptions) throws -> UnitInstaller.Rendered {
            try UnitInstaller.metrics(binary: thisProgram(binary), config: global.selection.configPathOnHost, listen: listen.address())
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Install and enable sriovctl-metrics.service.")
        @ParentCommand var sriovctl: SRIOVCtl
        @OptionGroup var unit: UnitOptions
        @Flag(help: "Also start it now.") var now = false

        func run() throws {
            try report(UnitInstaller.enable(unit.rendered(sriovctl.global), now: now, on: sriovctl.global.selection))
            print("Metrics will be served on http://\(try unit.listen.address())/metrics from every boot.")
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "disable", abstract: "Stop, disable and remove sriovctl-metrics.service.")
        @ParentCommand var sriovctl: SRIOVCtl

        func run() throws {
            try report(UnitInstaller.disable([BootUnits.metricsUnit], on: sriovctl.global.selection))
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Is sriovctl-metrics.service installed, current, enabled and running.")
        @ParentCommand var sriovctl: SRIOVCtl
        @OptionGroup var unit: UnitOptions

        func run() throws {
            for s in try UnitInstaller.status(unit.rendered(sriovctl.global), on: sriovctl.global.selection) {
                print(BootCommand.describe(s, writer: "serve enable"))
            }
        }
    }
}
