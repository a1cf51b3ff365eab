// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "sriovctl",
    products: [
        .executable(name: "sriovctl", targets: ["sriovctl"]),
        .library(name: "SRIOVCore", targets: ["SRIOVCore"]),
    ],
    dependencies: [
        // 1.7: @ParentCommand.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.7.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // The OS layer: file descriptors and named errno values.
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
        // `sriovctl serve`: a small HTTP/1.1 server and graceful shutdown on SIGTERM.
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    ],
    targets: [
        // Pure decisions and value types: nothing here touches the OS.
        .target(name: "SRIOVCore"),
        // rtnetlink: a pure byte codec plus one thin socket transport.
        .target(name: "Netlink"),
        // Kernel-shaped netlink replies of any size, for tests and the benchmark.
        .target(name: "NetlinkTestSupport", dependencies: ["Netlink"]),
        // Adapters: rooted sysfs, netlink link control, the simulated host.
        .target(name: "SRIOVHost", dependencies: ["SRIOVCore", "Netlink", .product(name: "SystemPackage", package: "swift-system")]),
        // The use cases: apply, plan, status, check, assign, hookscripts, host prepare, units, watch,
        // metrics. Every effect goes through the host protocol of SRIOVHost.
        .target(
            name: "SRIOVEngine",
            dependencies: ["SRIOVCore", "SRIOVHost", .product(name: "Logging", package: "swift-log")]
        ),
        // `sriovctl serve`: serves one page of text over HTTP, shuts down gracefully on SIGTERM.
        .target(
            name: "MetricsServer",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The parsers that read untrusted input, as functions of raw bytes (for libFuzzer and the tests).
        .target(name: "FuzzTargets", dependencies: ["SRIOVCore", "SRIOVEngine", "SRIOVHost", "Netlink", "MetricsServer"]),
        // `sriovctl-fuzz TARGET`: libFuzzer's driver when built by `scripts/fuzz`, a corpus replayer otherwise.
        .executableTarget(name: "sriovctl-fuzz", dependencies: ["FuzzTargets"]),
        // The command line: argument parsing and rendering only.
        .executableTarget(
            name: "sriovctl",
            dependencies: [
                "SRIOVCore", "SRIOVEngine", "MetricsServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SRIOVCoreTests",
            dependencies: ["SRIOVCore", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        // `swift run -c release sriovctl-bench`: prints decode and planner figures.
        .executableTarget(name: "sriovctl-bench", dependencies: ["Netlink", "NetlinkTestSupport", "SRIOVCore"]),
        .testTarget(
            name: "NetlinkTests",
            dependencies: ["Netlink", "NetlinkTestSupport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        // What the test suites share: temporary host trees, a seeded random generator.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "SRIOVHostTests",
            dependencies: ["SRIOVHost", "SRIOVCore", "Netlink", "NetlinkTestSupport", "TestSupport"]
        ),
        .testTarget(
            name: "SRIOVEngineTests",
            dependencies: [
                "SRIOVEngine", "SRIOVHost", "SRIOVCore", "Netlink", "TestSupport", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Runs the built `sriovctl` binary against the simulated host.
        .testTarget(
            name: "CLITests",
            dependencies: ["sriovctl", "SRIOVHost", "SRIOVCore", "TestSupport"]
        ),
        // Replays the fuzzing seed corpora and crash reproducers (Tests/Fixtures/fuzz).
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets"]),
        .testTarget(
            name: "MetricsServerTests",
            dependencies: [
                "MetricsServer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
