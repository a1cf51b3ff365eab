import NIOConcurrencyHelpers
import NIOCore

/// Bytes of requests not yet answered, per connection and for the whole server. A scrape's
/// request is a few hundred bytes; 900 connections each holding a head of 12,000 headers took the
/// server to 480 MB (issue 26). Past either limit the connection that sent the bytes is closed.
final class RequestBudget: Sendable {
    /// One connection's unanswered request bytes (a Prometheus scrape sends well under 1 KB).
    let perConnection: Int
    /// All connections' together.
    let total: Int
    private let used = NIOLockedValueBox(0)

    init(perConnection: Int = 16 << 10, total: Int = 4 << 20) {
        self.perConnection = perConnection
        self.total = total
    }

    /// Takes `bytes` from the budget; false (and nothing taken) when that would pass the total.
    func take(_ bytes: Int) -> Bool {
        used.withLockedValue { used in
            guard used + bytes <= total else { return false }
            used += bytes
            return true
        }
    }

    func give(_ bytes: Int) { used.withLockedValue { $0 = max(0, $0 - bytes) } }

    var inUse: Int { used.withLockedValue { $0 } }
}

/// Counts a connection's bytes until its request is complete (the page handler says so with
/// `RequestBudgetHandler.Answered`), against its own limit and the server's budget.
final class RequestBudgetHandler: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = Any

    /// Sent down the pipeline by the page handler when a request has been read whole.
    struct Answered {}

    let budget: RequestBudget
    private var held = 0

    init(budget: RequestBudget) { self.budget = budget }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data).readableBytes
        guard held + bytes <= budget.perConnection, budget.take(bytes) else {
            context.close(promise: nil)
            return
        }
        held += bytes
        context.fireChannelRead(data)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is Answered else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        budget.give(held)
        held = 0
        promise?.succeed()
    }

    func channelInactive(context: ChannelHandlerContext) {
        budget.give(held)
        held = 0
        context.fireChannelInactive()
    }
}
