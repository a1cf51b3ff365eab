import SRIOVCore

enum TOMLHarness {
    static func run(_ bytes: [UInt8]) -> FuzzTarget.Reached {
        (try? TOMLParser.parse(String(decoding: bytes, as: UTF8.self))) == nil ? .refused : .parsed
    }
}
