import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// A read-only HTTP/1.1 server for a few pages of text (`/metrics`), run as a service: on
/// graceful shutdown (SIGTERM through the service group) it stops accepting, closes connections
/// waiting for a request (half-sent ones included), lets answers in flight finish, and returns.
///
/// Hostile clients are bounded by `ServerLimits`: a cap on open connections (the oldest waiting
/// one gives way to a new one), and a deadline for each request that trickling does not extend.
/// When accept fails for lack of descriptors (EMFILE/ENFILE), NIO's `ServerBootstrap` backs off
/// for a second instead of spinning.
public struct MetricsServer: Service {
    /// One answer: a page, or nil for 404.
    public struct Page: Sendable {
        public var contentType: String
        public var body: String

        public init(contentType: String, body: String) {
            self.contentType = contentType
            self.body = body
        }
    }

    public let host: String
    public let port: Int
    public let limits: ServerLimits
    /// Computes the page for a path, off the event loop (it may read sysfs and netlink).
    let page: @Sendable (String) -> Page?
    /// Told the address actually bound (port 0 picks a free one).
    let onListening: @Sendable (String, Int) -> Void
    let logger: Logger

    public init(
        host: String, port: Int, limits: ServerLimits = .fitting(), logger: Logger,
        page: @escaping @Sendable (String) -> Page?,
        onListening: @escaping @Sendable (String, Int) -> Void
    ) {
        self.host = host
        self.port = port
        self.limits = limits
        self.page = page
        self.onListening = onListening
        self.logger = logger
    }

    public func run() async throws {
        // One event loop and one worker: a scrape a second needs no more, and memory stays small.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let workers = NIOThreadPool(numberOfThreads: 1)
        workers.start()
        let table = ConnectionTable(limit: limits.connections)
        let page = self.page
        let compute: PageHandler.Compute = { path, loop in workers.runIfActive(eventLoop: loop) { page(path) } }
        let deadline = limits.requestDeadline
        let budget = RequestBudget()
        let server: any Channel
        do {
            server = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: 64)
                // A client may send its request and shut its side (`curl`-like tools, `printf |
                // nc -N`): it still gets its answer, then the connection closes.
                .childChannelOption(.allowRemoteHalfClosure, value: true)
                .childChannelInitializer { child in
                    if let victim = table.admit(child) {
                        victim.close(promise: nil)
                        if victim === child { return child.eventLoop.makeSucceededVoidFuture() }
                    }
                    child.closeFuture.whenComplete { _ in table.remove(child) }
                    return child.eventLoop.makeCompletedFuture {
                        try Self.configure(child.pipeline.syncOperations, compute: compute, table: table, deadline: deadline, budget: budget)
                    }
                }
                .bind(host: host, port: port).get()
        } catch {
            try? await workers.shutdownGracefully()
            try? await group.shutdownGracefully()
            if let io = error as? IOError { throw BindError(host: host, port: port, errno: io.errnoCode) }
            throw error
        }
        onListening(host, server.localAddress?.port ?? port)
        try? await withGracefulShutdownHandler {
            try await server.closeFuture.get()
        } onGracefulShutdown: {
            server.close(promise: nil)
        }
        // Accepting has stopped. Connections waiting for a request (idle keep-alive, half-sent
        // requests) close now; answers in flight finish and then close, within the drain timeout.
        let (idle, busy) = table.drain()
        for child in idle { child.close(promise: nil) }
        for child in busy { child.eventLoop.scheduleTask(in: limits.drainTimeout) { child.close(promise: nil) } }
        for child in idle + busy { try? await child.closeFuture.get() }
        logger.info("metrics server stopped", metadata: ["slow-connections-closed": "\(table.evictions)"])
        try await workers.shutdownGracefully()
        try await group.shutdownGracefully()
    }

    /// The handlers of one connection: HTTP/1.1 parsing (with its 400 for malformed requests),
    /// then the pages.
    static func configure(
        _ pipeline: ChannelPipeline.SynchronousOperations, compute: @escaping PageHandler.Compute, table: ConnectionTable?,
        deadline: TimeAmount, budget: RequestBudget? = nil
    ) throws {
        if let budget { try pipeline.addHandler(RequestBudgetHandler(budget: budget)) }
        try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
        try pipeline.addHandler(PageHandler(compute: compute, table: table, deadline: deadline))
    }
}
