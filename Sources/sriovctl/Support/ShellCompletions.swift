import ArgumentParser
import SRIOVEngine

/// What a shell offers for PF, `PF:INDEX` and VMID arguments: read from the host the words typed
/// so far name (`--root`, `--simulate`), nothing when it cannot be read.
enum ShellCompletions {
    static let pf = CompletionKind.custom { words, _, prefix in forShell(StatusUseCase.completions(words: words, prefix: prefix)) }
    static let vf = CompletionKind.custom { words, _, prefix in forShell(StatusUseCase.vfCompletions(words: words, prefix: prefix)) }
    static let guest = CompletionKind.custom { words, _, prefix in StatusUseCase.guestCompletions(words: words, prefix: prefix) }

    /// zsh's `_describe` reads `value:description`: a colon inside a value (a PCI address,
    /// `enp6s0f0:3`) is escaped, or zsh would show the value cut at it.
    static func forShell(_ words: [String]) -> [String] {
        guard CompletionShell.requesting == .zsh else { return words }
        return words.map { String($0.flatMap { $0 == ":" ? ["\\", ":"] : [$0] }) }
    }
}
