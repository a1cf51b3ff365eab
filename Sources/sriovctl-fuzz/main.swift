import FuzzTargets

#if canImport(Glibc)
    import Glibc
#endif

// `sriovctl-fuzz TARGET [ARGS...]`.
//
// Built by `scripts/fuzz` with `-sanitize=fuzzer -D SRIOVCTL_FUZZ`, it hands ARGS to libFuzzer
// (corpus directories, -max_total_time=...) and fuzzes TARGET. Built normally, it replays: each
// ARG is a file or a directory of files, each run once through TARGET (a crash there is a bug).

// libFuzzer runs itself again for -merge and -jobs with its own flags only: the target then comes
// from SRIOVCTL_FUZZ_TARGET, which the first run sets.
var arguments = CommandLine.arguments
if arguments.count < 2 || FuzzTarget(rawValue: arguments[1]) == nil, let inherited = getenv("SRIOVCTL_FUZZ_TARGET") {
    arguments.insert(String(cString: inherited), at: 1)
}
guard arguments.count >= 2, let target = FuzzTarget(rawValue: arguments[1]) else {
    let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
    let usage = "usage: sriovctl-fuzz TARGET [libFuzzer arguments | files and directories]\ntargets: \(names)\n"
    _ = usage.utf8CString.withUnsafeBytes { write(2, $0.baseAddress, $0.count - 1) }
    exit(2)
}
/// Read by libFuzzer's callback, a C function that cannot capture it.
nonisolated(unsafe) var selectedTarget = target
setenv("SRIOVCTL_FUZZ_TARGET", target.rawValue, 1)

#if SRIOVCTL_FUZZ
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    // libFuzzer sees the program name and ARGS (TARGET removed).
    var forwarded: [UnsafeMutablePointer<CChar>?] = ([arguments[0]] + arguments.dropFirst(2)).map { strdup($0) } + [nil]
    var count = Int32(forwarded.count - 1)
    let status = forwarded.withUnsafeMutableBufferPointer { buffer -> Int32 in
        var base: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = buffer.baseAddress
        return LLVMFuzzerRunDriver(&count, &base) { data, size in
            let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: min(size, FuzzTarget.maximumInput))) } ?? []
            selectedTarget.run(bytes)
            return 0
        }
    }
    exit(status)
#else
    var runs = 0
    for path in arguments.dropFirst(2) {
        for file in CorpusFiles.list(path) {
            selectedTarget.run(CorpusFiles.read(file, limit: FuzzTarget.maximumInput))
            runs += 1
        }
    }
    print("\(target.rawValue): \(runs) inputs replayed, no crash")
#endif
