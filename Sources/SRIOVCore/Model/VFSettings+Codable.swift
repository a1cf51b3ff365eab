/// VF settings as JSON: the simulated host's state file. Each field's JSON key is its `VFField`
/// raw value; MACs are strings; absent keys are nil.
extension VFSettings: Codable {
    struct FieldKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ field: VFField) { stringValue = field.rawValue }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: FieldKey.self)
        self.init()
        for field in VFField.allCases {
            let key = FieldKey(field)
            guard c.contains(key), try !c.decodeNil(forKey: key) else { continue }
            let value: SettingValue =
                switch field.kind {
                case .mac, .choice: .text(try c.decode(String.self, forKey: key))
                case .flag: .flag(try c.decode(Bool.self, forKey: key))
                case .number: .number(try c.decode(Int.self, forKey: key))
                }
            guard field.set(value, in: &self) else {
                let shown = if case let .text(t) = value { t.echoed(limit: 40) } else { "\(value)" }
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "\(shown) is not \(field.kind.expected)")
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: FieldKey.self)
        for field in VFField.allCases {
            switch field.value(in: self) {
            case nil: continue
            case let .text(t)?: try c.encode(t, forKey: FieldKey(field))
            case let .number(n)?: try c.encode(n, forKey: FieldKey(field))
            case let .flag(b)?: try c.encode(b, forKey: FieldKey(field))
            }
        }
    }
}
