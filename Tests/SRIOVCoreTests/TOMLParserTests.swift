import SRIOVCore
import Testing

@Suite struct TOMLParserTests {
    func value(_ doc: TOMLTable, _ path: String...) -> TOMLValue? {
        var table = doc
        for (i, key) in path.enumerated() {
            guard let entry = table[key] else { return nil }
            if i == path.count - 1 { return entry.node.value }
            guard case let .table(t) = entry.node.value else { return nil }
            table = t
        }
        return nil
    }

    @Test func scalarsAndPositions() throws {
        let doc = try TOMLParser.parse(
            """
            # comment
            a = "x\\ty"  # trailing
            b = 0x1F
            c = 1_000
            d = -3
            e = true
            f = 'C:\\path'
            g = 1.5e3
            """)
        #expect(value(doc, "a") == .string("x\ty"))
        #expect(value(doc, "b") == .integer(31))
        #expect(value(doc, "c") == .integer(1000))
        #expect(value(doc, "d") == .integer(-3))
        #expect(value(doc, "e") == .boolean(true))
        #expect(value(doc, "f") == .string("C:\\path"))
        #expect(value(doc, "g") == .float(1500))
        #expect(doc["a"]?.keyPosition == SourcePosition(line: 2, column: 1))
        #expect(doc["a"]?.node.position == SourcePosition(line: 2, column: 5))
        #expect(doc["g"]?.node.position == SourcePosition(line: 8, column: 5))
    }

    @Test func arraysOfTablesNestUnderTheLastElement() throws {
        let doc = try TOMLParser.parse(
            """
            [[pf]]
            name = "a"
            [pf.defaults]
            driver = "host"
            [[pf.vf]]
            index = 0
            [[pf.vf]]
            index = 1
            [[pf]]
            name = "b"
            """)
        guard case let .array(pfs)? = value(doc, "pf") else {
            Issue.record("no pf array")
            return
        }
        #expect(pfs.count == 2)
        guard case let .table(first) = pfs[0].value, case let .array(vfs)? = first["vf"]?.node.value else {
            Issue.record("no vf array")
            return
        }
        #expect(vfs.count == 2)
        #expect(pfs[0].position == SourcePosition(line: 1, column: 1))
        #expect(pfs[1].position == SourcePosition(line: 9, column: 1))
        guard case let .table(defaults)? = first["defaults"]?.node.value else {
            Issue.record("no defaults")
            return
        }
        #expect(defaults["driver"]?.node.value == .string("host"))
    }

    @Test func dottedKeysInlineTablesMultilineStringsAndArrays() throws {
        let doc = try TOMLParser.parse(
            """
            x.y.z = 1
            t = { a = 1, b.c = "d" }
            s = \"\"\"
            one \\
              two\"\"\"
            l = '''
            raw\\n'''
            arr = [ 1,
              2, # two
              3, ]
            """)
        #expect(value(doc, "x", "y", "z") == .integer(1))
        #expect(value(doc, "t", "b", "c") == .string("d"))
        #expect(value(doc, "s") == .string("one two"))
        #expect(value(doc, "l") == .string("raw\\n"))
        guard case let .array(items)? = value(doc, "arr") else {
            Issue.record("no array")
            return
        }
        #expect(items.map(\.value) == [.integer(1), .integer(2), .integer(3)])
    }

    @Test(arguments: [
        ("a = 1\na = 2", 2, 1, "defined twice"),
        ("[t]\n[t]", 2, 2, "already defined"),
        ("a = \"open", 1, 10, "not closed"),
        ("a = 2024-01-01", 1, 5, "dates and times"),
        ("a = yes", 1, 5, "strings need quotes"),
        ("a = 1 b = 2", 1, 7, "end of the line"),
        ("a = 007", 1, 5, "not a value"),
        ("t = {a = 1}\n[t]", 2, 2, "already defined"),
        ("a = [1, 2", 1, 10, "expected , or ]"),
        ("= 1", 1, 1, "expected a key"),
    ])
    func errorsSayWhereAndWhat(source: String, line: Int, column: Int, words: String) {
        do {
            _ = try TOMLParser.parse(source)
            Issue.record("parsed invalid TOML: \(source)")
        } catch {
            #expect(error.position == SourcePosition(line: line, column: column), "\(error)")
            #expect(error.message.contains(words), "\(error)")
        }
    }
}

/// TOML 1.0's integer grammar, exactly (issue 26: `++1` and `+-0` were accepted, `+0x5`, `+_1`
/// and `1_` were called out of range).
@Suite struct TOMLIntegerGrammarTests {
    static let valid: [(String, Int64)] = [
        ("+1", 1), ("-0", 0), ("1_000", 1000), ("0xdead_beef", 0xdead_beef), ("0o755", 0o755), ("0b1_0", 2),
        ("-9223372036854775808", .min),
    ]
    static let invalid = ["++1", "++01", "+-0", "+0x5", "-0b1", "+_1", "1_", "_1", "1__2", "0x_ff", "0xff_", "01", "0o8", "0b2", "+"]

    @Test func wellFormedIntegersAreRead() throws {
        for (text, value) in Self.valid {
            let table = try TOMLParser.parse("x = \(text)\n")
            #expect(table.entries.first?.node.value == .integer(value), "\(text)")
        }
    }

    @Test func malformedIntegersAreNotValuesNotOutOfRange() {
        for text in Self.invalid {
            do {
                _ = try TOMLParser.parse("x = \(text)\n")
                Issue.record("\(text) was accepted")
            } catch {
                #expect(!"\(error)".contains("out of range"), "\(text): \(error)")
            }
        }
        do {
            _ = try TOMLParser.parse("x = 9223372036854775808\n")
            Issue.record("2^63 was accepted")
        } catch {
            #expect("\(error)".contains("out of range"), "\(error)")
        }
    }
}

@Suite struct UTF8PositionTests {
    @Test func theFirstByteThatIsNotUTF8IsFound() {
        #expect(SourcePosition.firstInvalidUTF8(in: Array("a = \"é\"\nb = 1\n".utf8)) == nil)
        let cases: [([UInt8], Int, Int, UInt8)] = [
            (Array("x\ny = ".utf8) + [0xFF], 2, 5, 0xFF), (Array("é".utf8) + [0xC0, 0x80], 1, 2, 0xC0), ([0xE0, 0x80, 0x80], 1, 1, 0x80),
            ([0xED, 0xA0, 0x80], 1, 1, 0xA0), ([0xF4, 0x90, 0x80, 0x80], 1, 1, 0x90), ([0x61, 0xE2, 0x82], 1, 2, 0xE2),
        ]
        for (bytes, line, column, byte) in cases {
            let found = SourcePosition.firstInvalidUTF8(in: bytes)
            #expect(found?.position == SourcePosition(line: line, column: column) && found?.byte == byte, "\(bytes)")
            #expect(String(validating: bytes, as: UTF8.self) == nil, "the standard library agrees it is not UTF-8")
        }
    }
}
