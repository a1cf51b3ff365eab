import Foundation
import SRIOVCore
import Testing

/// Our TOML parser against Python's tomllib (the standard library's, TOML 1.0) on the same text:
/// what tomllib accepts we accept with the same values, what it rejects we reject. The documented
/// exceptions: dates and times (sriovctl's config has none, so we refuse them), integers past 64
/// bits (TOML 1.0 says a parser that cannot keep them exactly must refuse them; Python's integers
/// have no bound) and nesting deeper than 64 (our bound against hostile files).
@Suite struct TOMLDifferentialTests {
    static let python: String? = {
        guard let path = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile) else { return nil }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: path)
        probe.arguments = ["-c", "import tomllib"]
        try? probe.run()
        probe.waitUntilExit()
        return probe.terminationStatus == 0 ? path : nil
    }()

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Handwritten cases around what TOML parsers get wrong, plus every TOML file in the project.
    static let cases: [String] = {
        var texts = [
            "a = 1\nb = -0\nc = +17\nd = 1_000\ne = 0xDEAD_beef\nf = 0o755\ng = 0b1101",
            "a = 1.5\nb = -0.0\nc = 6.02e23\nd = 1e-7\ne = inf\nf = -inf\ng = 3_141.5927",
            "a = \"tab\\there \\u00e9 \\U0001F600 \\\\ \\\"q\\\"\"\nb = 'C:\\no\\escapes'",
            "a = \"\"\"\nfirst\n  second \\\n   joined\"\"\"\nb = '''\nraw \\n\n'''",
            "a.b.c = 1\na.d = 2\n[x]\ny.z = 3",
            "p = { name = \"eth0\", n = 2, inner = { deep = [1, 2] } }",
            "[[pf]]\nname = \"a\"\n[[pf.vf]]\nindex = 0\n[[pf]]\nname = \"b\"",
            "arr = [ 1, 2, 3, ]\nmixed = [ [1], [\"a\"], [] ]\nnested = [[1, [2]]]",
            "# comment\nkey = \"value\" # trailing\n\"quoted key\" = 1\n'lit key' = 2\n\"\" = 3",
            "t = true\nf = false",
            "a = 01", "a = 1__0", "a = _1", "a = 0x", "a = .5", "a = 5.", "a = +0x10",
            "a = 1\na = 2", "[t]\n[t]", "[t]\na = 1\n[t.a]", "x = { a = 1 }\nx.b = 2",
            "a = \"unterminated", "a = [1, 2", "a = {b = 1,}", "= 1", "a b = 1", "a = \"\\x41\"",
            "a = 1 b = 2", "[a]]", "a = \"line\nbreak\"", "a = tru", "a = nan", "a = -nan",
            "a = 9223372036854775807\nb = -9223372036854775808", "a = 9223372036854775808",
            "[[a]]\n[a]", "a = []\n[[a]]", "a.b = 1\n[a.b.c]", "\"a.b\" = 1\na.b = 2",
            "a = '''one''two'''", "a = \"\"\"one\"\"two\"\"\"", "a = \"\\u0000\"", "a = \"\\uD800\"",
        ]
        // Configs, bad configs, and the fuzzing corpora (seeds and inputs libFuzzer kept for new coverage).
        for folder in ["examples", "Tests/Fixtures/bad-input/config", "Tests/Fixtures/fuzz/toml", "Tests/Fixtures/fuzz/config"] {
            let dir = repository.appendingPathComponent(folder)
            let fuzzed = folder.hasPrefix("Tests/Fixtures/fuzz")
            for file in ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
            where file.hasSuffix(".toml") || (fuzzed && !file.hasPrefix(".")) {
                if let text = try? String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8) { texts.append(text) }
            }
        }
        return texts
    }()

    /// Our value as JSON for the comparison; floats as strings, so the check can compare them numerically.
    static func json(_ value: TOMLValue) -> Any {
        switch value {
        case let .string(s): return s
        case let .integer(i): return ["$int": String(i)]
        case let .float(d): return ["$float": d.isNaN ? "nan" : String(d)]
        case let .boolean(b): return b
        case let .array(items): return items.map { json($0.value) }
        case let .table(t): return Dictionary(t.entries.map { ($0.key, json($0.node.value)) }, uniquingKeysWith: { a, _ in a })
        }
    }

    static let compare = """
        import json, math, sys, tomllib, datetime
        text, ours = sys.stdin.buffer.read().decode("utf-8"), json.loads(sys.argv[1])
        try:
            theirs = tomllib.loads(text)
        except Exception as e:
            print("rejects" if ours is None else "tomllib rejects what we accept: " + str(e)); sys.exit(0)
        def has_dates(v):
            if isinstance(v, (datetime.date, datetime.time)): return True
            if isinstance(v, dict): return any(has_dates(x) for x in v.values())
            if isinstance(v, list): return any(has_dates(x) for x in v)
            return False
        # Python recurses once per level too: a table nested thousands deep is too deep to walk.
        try:
            dated, shown = has_dates(theirs), json.dumps(theirs, default=str)[:300]
        except RecursionError:
            dated, shown = False, "(nested too deep for Python to walk)"
        if dated: print("dates"); sys.exit(0)
        if ours is None: print("we reject what tomllib accepts: " + shown); sys.exit(0)
        def same(a, b):
            if isinstance(a, dict) and "$int" in a: return type(b) is int and int(a["$int"]) == b
            if isinstance(a, dict) and "$float" in a:
                return type(b) is float and (math.isnan(b) if a["$float"] == "nan" else float(a["$float"]) == b and math.copysign(1, float(a["$float"])) == math.copysign(1, b))
            if isinstance(a, dict): return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
            if isinstance(a, list): return isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
            return type(a) is type(b) and a == b
        print("same" if same(ours, theirs) else "different: ours " + json.dumps(ours)[:300] + " theirs " + json.dumps(theirs, default=str)[:300])
        """

    @Test(.enabled(if: python != nil, "no python3 with tomllib (Python 3.11+)"))
    func everyCaseAgreesWithTomllib() throws {
        var verdicts: [String: Int] = [:]
        for text in Self.cases {
            let ours: Any
            var refusal = ""
            do { ours = Self.json(.table(try TOMLParser.parse(text))) } catch {
                ours = NSNull()
                refusal = "\(error)"
            }
            let encoded = String(decoding: try JSONSerialization.data(withJSONObject: ours, options: [.fragmentsAllowed]), as: UTF8.self)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.python!)
            // The text goes on standard input: an argument cannot carry a NUL byte.
            process.arguments = ["-c", Self.compare, encoded]
            let pipe = Pipe()
            let input = Pipe()
            process.standardOutput = pipe
            process.standardInput = input
            try process.run()
            input.fileHandleForWriting.write(Data(text.utf8))
            try input.fileHandleForWriting.close()
            let verdict = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingSpaces()
            process.waitUntilExit()
            let limit =
                verdict.hasPrefix("we reject what tomllib accepts")
                && (refusal.contains("integers are 64-bit") || refusal.contains("nested more than 64 deep"))
            verdicts[limit ? "limit" : String(verdict.prefix(while: { $0 != ":" })), default: 0] += 1
            #expect(limit || ["same", "rejects", "dates"].contains(verdict), "\(verdict)\n--- text:\n\(text.prefix(400))")
        }
        #expect((verdicts["same"] ?? 0) >= 20 && (verdicts["rejects"] ?? 0) >= 20, "\(verdicts)")
    }
}
