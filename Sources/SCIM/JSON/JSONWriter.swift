/// Serialises `JSONValue` to UTF-8 bytes in one of two deterministic styles.
///
/// `.canonical` is the on-disk form in git: keys sorted by UTF-8 bytes (that is, by code
/// point, independent of locale), two-space indent, one member per line, trailing
/// newline — so `git diff` shows one line per changed attribute and the same resource
/// always produces the same blob. `.compact` is the wire form for HTTP responses: no
/// whitespace, keys sorted. Both write bytes directly into one growing buffer (no
/// Foundation, no per-character `String` work). Strings are escaped minimally (`"`, `\`,
/// control characters); everything else, non-ASCII included, is written as UTF-8.
public enum JSONStyle: Sendable, Hashable {
    /// Sorted keys, two-space indent, `": "` separator, trailing newline.
    case canonical
    /// Sorted keys, no whitespace at all.
    case compact
}

/// The serialiser behind `JSONValue.serialized(_:)`: one pass, one output buffer.
struct JSONWriter<Work: WorkCounter> {
    private(set) var output: [UInt8] = []
    let style: JSONStyle
    /// Key comparisons made sorting members: the only work of the writer that is not
    /// linear in what it writes.
    private(set) var work: Work

    init(style: JSONStyle, capacity: Int = 512, counting work: Work) {
        self.style = style
        self.work = work
        output.reserveCapacity(capacity)
    }

    mutating func write(_ value: JSONValue, indent: Int = 0) {
        switch value {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .int(let i): writeInteger(i)
        case .decimal(let d): writeDecimal(d)
        case .string(let s): writeString(s)
        case .array(let array):
            if array.isEmpty { append("[]"); return }
            output.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                write(element, indent: indent + 1)
            }
            newline(indent)
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            if object.isEmpty { append("{}"); return }
            output.append(UInt8(ascii: "{"))
            let members = object.sorted {
                work.add()
                return $0.key.utf8.lexicographicallyPrecedes($1.key.utf8)
            }
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                writeString(member.key)
                output.append(UInt8(ascii: ":"))
                if style == .canonical { output.append(UInt8(ascii: " ")) }
                write(member.value, indent: indent + 1)
            }
            newline(indent)
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Writes `object` compactly with one more member, `key`: an array whose elements are
    /// already serialized compact JSON, copied in as they are. It is how a page of resources
    /// rendered straight from their stored bytes (`JSONCompactor`) becomes a ListResponse
    /// without parsing any of them; the member goes where sorting puts it, as if parsed.
    mutating func writeCompact(_ object: [String: JSONValue], adding key: String, renderedElements elements: [[UInt8]]) {
        let keys = (object.keys.filter { $0 != key } + [key]).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        output.append(UInt8(ascii: "{"))
        for (index, name) in keys.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            writeString(name)
            output.append(UInt8(ascii: ":"))
            guard name == key else {
                write(object[name]!)
                continue
            }
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                output.append(contentsOf: element)
            }
            output.append(UInt8(ascii: "]"))
        }
        output.append(UInt8(ascii: "}"))
    }

    @inline(__always)
    private mutating func newline(_ indent: Int) {
        guard style == .canonical else { return }
        output.append(UInt8(ascii: "\n"))
        for _ in 0..<(indent * 2) { output.append(UInt8(ascii: " ")) }
    }

    @inline(__always)
    private mutating func append(_ literal: StaticString) {
        output.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    private mutating func writeInteger(_ value: Int64) {
        if value == 0 { output.append(UInt8(ascii: "0")); return }
        var magnitude = value.magnitude
        if value < 0 { output.append(UInt8(ascii: "-")) }
        // At most 20 digits; write them reversed into a small stack buffer.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var count = 0
            while magnitude > 0 {
                digits[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            while count > 0 {
                count -= 1
                output.append(digits[count])
            }
        }
    }

    /// Decimals always keep a fraction or an exponent (`1.0`, `1e+20`) so they read back as
    /// decimals. Non-finite values cannot be written in JSON and become `null`.
    private mutating func writeDecimal(_ value: Double) {
        guard value.isFinite else { append("null"); return }
        output.append(contentsOf: value.description.utf8)
    }

    private mutating func writeString(_ string: String) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            for i in 0..<bytes.count {
                let byte = bytes[i]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < i { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
                runStart = i + 1
                output.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""): output.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
                case 0x0A: output.append(UInt8(ascii: "n"))
                case 0x0D: output.append(UInt8(ascii: "r"))
                case 0x09: output.append(UInt8(ascii: "t"))
                case 0x08: output.append(UInt8(ascii: "b"))
                case 0x0C: output.append(UInt8(ascii: "f"))
                default:
                    let hex: StaticString = "0123456789abcdef"
                    output.append(UInt8(ascii: "u"))
                    output.append(UInt8(ascii: "0"))
                    output.append(UInt8(ascii: "0"))
                    output.append(hex.utf8Start[Int(byte >> 4)])
                    output.append(hex.utf8Start[Int(byte & 0x0F)])
                }
            }
            if runStart < bytes.count { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count])) }
        }
        output.append(UInt8(ascii: "\""))
    }
}

extension JSONWriter<UncountedWork> {
    init(style: JSONStyle, capacity: Int = 512) {
        self.init(style: style, capacity: capacity, counting: UncountedWork())
    }
}

extension JSONValue {
    /// The document as UTF-8 bytes in the given style (`.canonical` ends with a newline).
    public func serialized(_ style: JSONStyle = .compact) -> [UInt8] {
        var writer = JSONWriter(style: style)
        writer.write(self)
        var output = writer.output
        if style == .canonical { output.append(UInt8(ascii: "\n")) }
        return output
    }

    /// The document as a string in the given style.
    public func serializedString(_ style: JSONStyle = .compact) -> String {
        String(decoding: serialized(style), as: UTF8.self)
    }
}
