import NIOCore
import NIOHTTP1

/// Answers GET and HEAD for the pages the server knows; 404 for others, 405 for other methods.
/// Holds each connection to the request deadline: a request must arrive whole within it, counted
/// from when the connection opened or its last answer was sent.
final class PageHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Computes a page for a path, off the event loop in the server (the answer arrives on `loop`).
    typealias Compute = @Sendable (_ path: String, _ loop: any EventLoop) -> EventLoopFuture<MetricsServer.Page?>

    let compute: Compute
    let table: ConnectionTable?
    let deadline: TimeAmount
    private var request: HTTPRequestHead?
    private var timer: Scheduled<Void>?
    /// An answer is being computed or sent.
    private var answering = false
    /// The client closed its sending side: answer what it asked, then close.
    private var inputClosed = false
    /// Whether a request deadline is pending (for tests).
    var isArmed: Bool { timer != nil }

    init(compute: @escaping Compute, table: ConnectionTable?, deadline: TimeAmount) {
        self.compute = compute
        self.table = table
        self.deadline = deadline
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head): request = head
        case .body: break
        case .end:
            guard let head = request else { return }
            request = nil
            timer?.cancel()
            timer = nil
            table?.markBusy(context.channel, true)
            answering = true
            context.triggerUserOutboundEvent(RequestBudgetHandler.Answered(), promise: nil)
            respond(to: head, context: context)
        }
    }

    /// The client shut its sending side (half-close): a request in flight is answered first; with
    /// none, there is nothing more to read, so the connection closes.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            inputClosed = true
            if !answering { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// A malformed request has had its 400 (from the pipeline's error handler): end the connection.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Starts the wait for the next request; past the deadline the connection is closed.
    private func arm(_ context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        // A connection already closed (its answer was the last thing on it) needs no deadline.
        guard context.channel.isActive else { return }
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: deadline) { channel.close(promise: nil) }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard head.method == .GET || head.method == .HEAD else {
            send(
                context, head, status: .methodNotAllowed, page: .init(contentType: "text/plain; charset=utf-8", body: "read-only: GET or HEAD\n"),
                extra: [("Allow", "GET, HEAD")])
            return
        }
        let path = String(head.uri.prefix { $0 != "?" })
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        compute(path, context.eventLoop).whenComplete { result in
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
        guard context.channel.isActive else { return }
        var buffer = context.channel.allocator.buffer(capacity: page.body.utf8.count)
        buffer.writeString(page.body)
        var headers = HTTPHeaders([("Content-Type", page.contentType), ("Content-Length", String(buffer.readableBytes))])
        for (name, value) in extra { headers.add(name: name, value: value) }
        // A stopping server answers this request, then closes: it says so.
        let keepAlive = request.isKeepAlive && table?.isDraining != true && !inputClosed
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: request.version, status: status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if request.method != .HEAD { context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil) }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            let (handler, context) = bound.value
            handler.table?.markBusy(context.channel, false)
            handler.answering = false
            if !keepAlive || handler.table?.isDraining == true || handler.inputClosed {
                context.close(promise: nil)
            } else {
                handler.arm(context)
            }
        }
    }
}
