/// What the last `apply` did, kept for `serve` (and anyone who asks): when it finished, whether
/// the host ended as the config says, how many changes it made, and why not.
public struct ApplyRecord: Codable, Sendable, Equatable {
    /// Seconds since 1970.
    public var finishedAt: Double
    public var succeeded: Bool
    public var changes: Int
    /// The failure or refusal, in the words apply printed; nil on success.
    public var failure: String?
    /// How apply ran: "apply", "boot", "watch", "guest".
    public var trigger: String

    /// Whether sriovctl could have written it: a time since 1970 (and not in the far future), a
    /// change count a host can have, a known trigger, a bounded failure text. `serve` publishes
    /// it, so a record that fails this is not shown.
    public var isSound: Bool {
        finishedAt.isFinite && (0...4_102_444_800).contains(finishedAt) && (0...10_000_000).contains(changes)
            && ["apply", "boot", "watch", "guest"].contains(trigger) && (failure?.count ?? 0) <= 65_536
    }

    public init(finishedAt: Double, succeeded: Bool, changes: Int, failure: String?, trigger: String) {
        self.finishedAt = finishedAt
        self.succeeded = succeeded
        self.changes = changes
        self.failure = failure
        self.trigger = trigger
    }
}
