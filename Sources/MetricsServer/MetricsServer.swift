import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// A read-only HTTP/1.1 server for a few pages of text (`/metrics`), run as a service: on
/// graceful shutdown (SIGTERM through the service group) it stops accepting, lets answers in
/// flight finish, closes idle keep-alive connections, and returns.
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
    /// Computes the page for a path, off the event loop (it may read sysfs and netlink).
    let page: @Sendable (String) -> Page?
    /// Told the address actually bound (port 0 picks a free one).
    let onListening: @Sendable (String, Int) -> Void
    let logger: Logger

    public init(
        host: String, port: Int, logger: Logger, page: @escaping @Sendable (String) -> Page?,
        onListening: @escaping @Sendable (String, Int) -> Void
    ) {
        self.host = host
        self.port = port
        self.page = page
        self.onListening = onListening
        self.logger = logger
    }

    public func run() async throws {
        // One event loop and one worker: a scrape a second needs no more, and memory stays small.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let workers = NIOThreadPool(numberOfThreads: 1)
        workers.start()
        let connections = NIOLockedValueBox<[ObjectIdentifier: Channel]>([:])
        let page = self.page
        let server: Channel
        do {
            server = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: 64)
                .childChannelInitializer { child in
                    let id = ObjectIdentifier(child)
                    connections.withLockedValue { $0[id] = child }
                    child.closeFuture.whenComplete { _ in _ = connections.withLockedValue { $0.removeValue(forKey: id) } }
                    return child.eventLoop.makeCompletedFuture {
                        let pipeline = child.pipeline.syncOperations
                        // A client that sends nothing for 30 s is let go (no slow connections piling up).
                        try pipeline.addHandler(IdleStateHandler(readTimeout: .seconds(30)))
                        try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                        try pipeline.addHandler(PageHandler(page: page, workers: workers))
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
        // Stop accepting is done; now let answers in flight finish and close idle connections
        // (HTTPServerPipelineHandler does both on this event), at most 5 s.
        let open = connections.withLockedValue { Array($0.values) }
        for child in open {
            child.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
            child.eventLoop.scheduleTask(in: .seconds(5)) { child.close(promise: nil) }
        }
        for child in open { try? await child.closeFuture.get() }
        logger.info("metrics server stopped")
        try await workers.shutdownGracefully()
        try await group.shutdownGracefully()
    }
}

/// The address could not be bound (in use, not on this machine, a privileged port).
public struct BindError: Error, Equatable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var errno: Int32

    public init(host: String, port: Int, errno: Int32) {
        self.host = host
        self.port = port
        self.errno = errno
    }

    public var description: String {
        let reason = String(cString: strerror(errno))
        let shown = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        return "cannot listen on \(shown): \(reason) (errno \(errno))"
    }
}

/// Answers GET and HEAD for the pages the server knows; 404 for others, 405 for other methods.
final class PageHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let page: @Sendable (String) -> MetricsServer.Page?
    let workers: NIOThreadPool
    private var request: HTTPRequestHead?

    init(page: @escaping @Sendable (String) -> MetricsServer.Page?, workers: NIOThreadPool) {
        self.page = page
        self.workers = workers
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head): request = head
        case .body: break
        case .end:
            guard let head = request else { return }
            request = nil
            respond(to: head, context: context)
        }
    }

    /// A malformed request has had its 400 (from the pipeline's error handler): end the connection.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard head.method == .GET || head.method == .HEAD else {
            send(
                context, head, status: .methodNotAllowed, page: .init(contentType: "text/plain; charset=utf-8", body: "read-only: GET or HEAD\n"),
                extra: [("Allow", "GET, HEAD")])
            return
        }
        let path = String(head.uri.prefix { $0 != "?" })
        let page = self.page
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        workers.runIfActive(eventLoop: loop) { page(path) }.whenComplete { result in
            let (handler, context) = bound.value
            switch result {
            case let .success(found?):
                handler.send(context, head, status: .ok, page: found)
            case .success(nil):
                handler.send(
                    context, head, status: .notFound,
                    page: .init(contentType: "text/plain; charset=utf-8", body: "not found: try /metrics\n"))
            case .failure:
                handler.send(
                    context, head, status: .serviceUnavailable,
                    page: .init(contentType: "text/plain; charset=utf-8", body: "shutting down\n"))
            }
        }
    }

    private func send(
        _ context: ChannelHandlerContext, _ request: HTTPRequestHead, status: HTTPResponseStatus,
        page: MetricsServer.Page, extra: [(String, String)] = []
    ) {
        var buffer = context.channel.allocator.buffer(capacity: page.body.utf8.count)
        buffer.writeString(page.body)
        var headers = HTTPHeaders([("Content-Type", page.contentType), ("Content-Length", String(buffer.readableBytes))])
        for (name, value) in extra { headers.add(name: name, value: value) }
        if !request.isKeepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: request.version, status: status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if request.method != .HEAD { context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil) }
        let keepAlive = request.isKeepAlive
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { [channel = context.channel] _ in
            if !keepAlive { channel.close(promise: nil) }
        }
    }
}
