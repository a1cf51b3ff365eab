import MetricsServer

/// The bytes as what a client sends on one connection to `serve`.
enum HTTPHarness {
    static func run(_ bytes: [UInt8]) -> FuzzTarget.Reached {
        let answer = MetricsServer.answer(toRawRequest: bytes) { path in
            path == "/metrics" ? .init(contentType: "text/plain; version=0.0.4", body: "sriovctl_pf_vfs 4\n") : nil
        }
        let text = String(decoding: answer.prefix(12), as: UTF8.self)
        return text.hasPrefix("HTTP/1.1 200") ? .used : text.hasPrefix("HTTP/1.") && !text.hasPrefix("HTTP/1.1 400") ? .parsed : .refused
    }
}
