import SCIM

/// One resource of an import file, and where it stands in it, for the error that names it.
public struct ImportRecord: Sendable {
    /// `line 12`, or `Resources[11]` in a ListResponse.
    public var position: String
    private let source: Source

    /// A ListResponse's element comes parsed; a line stays text until it is planned, on
    /// every core (a million parsed records at once would cost gigabytes).
    private enum Source: Sendable {
        case parsed(JSONValue)
        case text(ArraySlice<UInt8>)
    }

    public init(position: String, resource: JSONValue) {
        self.position = position
        source = .parsed(resource)
    }

    init(position: String, text: ArraySlice<UInt8>) {
        self.position = position
        source = .text(text)
    }

    /// The record's JSON; a line that is not JSON is a 400 naming what is wrong.
    func resource() throws(SCIMError) -> JSONValue {
        switch source {
        case let .parsed(value): return value
        case let .text(text):
            do {
                return try JSONValue.parse(text)
            } catch {
                throw SCIMError.invalidSyntax("not a JSON resource: \(error.detail)")
            }
        }
    }

    /// The records of an import file: one SCIM resource per line (blank lines skipped), or
    /// a single `ListResponse` (as `GET /Users` answers) whose `Resources` are the records.
    public static func read(_ bytes: [UInt8]) throws(ImportFailure) -> [ImportRecord] {
        // A file of many lines fails this parse at its second line, at once.
        if let whole = try? JSONValue.parse(bytes), case let .object(object) = whole {
            guard let resources = object["Resources"] else { return [ImportRecord(position: "line 1", resource: whole)] }
            guard case let .array(elements) = resources else {
                throw ImportFailure([.init(position: "Resources", error: .invalidSyntax("\"Resources\" must be an array"))])
            }
            return elements.enumerated().map { ImportRecord(position: "Resources[\($0.offset)]", resource: $0.element) }
        }
        var records: [ImportRecord] = []
        var line = 0
        var start = 0
        while start < bytes.count {
            line += 1
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let text = bytes[start..<end]
            start = end + 1
            guard text.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { continue }
            records.append(ImportRecord(position: "line \(line)", text: text))
        }
        return records
    }
}

/// Why an import committed nothing: every record that was refused, with its position.
public struct ImportFailure: Error, Sendable, CustomStringConvertible {
    public struct Problem: Sendable {
        public var position: String
        public var error: SCIMError
    }

    public var problems: [Problem]

    init(_ problems: [Problem]) { self.problems = problems }

    /// The first problems, one per line, and how many more there are.
    public var description: String {
        let shown = problems.prefix(20).map { "\($0.position): \($0.error.scimType.map { "\($0.rawValue) " } ?? "")\($0.error.detail)" }
        let more = problems.count > shown.count ? ["and \(problems.count - shown.count) more"] : []
        return (shown + more).joined(separator: "\n")
    }
}
