import NIOCore
import NIOEmbedded

extension MetricsServer {
    /// Feeds raw bytes to one connection's handlers, in memory (no socket, no threads), and
    /// returns what the server wrote back. The fuzzing harness and tests use it: it is the same
    /// parsing and routing a socket's bytes go through.
    public static func answer(toRawRequest bytes: [UInt8], page: @escaping @Sendable (String) -> Page?) -> [UInt8] {
        let channel = EmbeddedChannel()
        let compute: PageHandler.Compute = { path, loop in loop.makeSucceededFuture(page(path)) }
        do {
            try configure(channel.pipeline.syncOperations, compute: compute, table: nil, deadline: .seconds(10))
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
            var buffer = channel.allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            try channel.writeInbound(buffer)
        } catch {
            // A malformed request: the 400 (if any) is already in the outbound buffer.
        }
        var out: [UInt8] = []
        while let part = try? channel.readOutbound(as: ByteBuffer.self) { out += part.readableBytesView }
        _ = try? channel.finish()
        // Run what is still scheduled (a deadline): the loop would otherwise keep the channel alive.
        channel.embeddedEventLoop.advanceTime(by: .hours(1))
        return out
    }
}
