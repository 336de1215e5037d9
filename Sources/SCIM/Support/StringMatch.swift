/// Byte-level string comparison with optional case folding.
///
/// Filters and sorting compare strings case-insensitively unless `caseExact`; doing it on
/// UTF-8 bytes (ASCII folded in a stack buffer, other text through `lowercased()`) keeps
/// evaluation over 100,000 resources free of per-character `String` work.
///
/// Text that is not ASCII is also brought to Unicode NFC, so the NFC and NFD spellings of
/// one name (`José` typed on two systems) are one name everywhere: uniqueness (Swift
/// strings already compare that way), index lookups and filters alike — else Okta's
/// lookup-then-create loops on a name the server says exists but no filter finds.
enum StringMatch {
    /// `string` as filters compare it: lowercased unless `caseExact`, NFC, UTF-8.
    static func folded(_ string: String, caseExact: Bool) -> [UInt8] {
        withFolded(string, caseExact: caseExact) { Array($0) }
    }

    /// The NFC form's UTF-8 (the standard library's own normalization).
    static func nfc(_ string: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(string.utf8.count)
        string._withNFCCodeUnits { out.append($0) }
        return out
    }

    /// Calls `body` with the UTF-8 of `string`, lowercased unless `caseExact`. ASCII text
    /// is folded into a stack buffer; other text goes through `lowercased()` and NFC.
    static func withFolded<R>(_ string: String, caseExact: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var string = string
        if caseExact {
            if string.utf8.allSatisfy({ $0 < 0x80 }) { return string.withUTF8(body) }
            return nfc(string).withUnsafeBufferPointer(body)
        }
        let (ascii, hasUpper) = string.withUTF8 { bytes -> (Bool, Bool) in
            var upper = false
            for byte in bytes {
                if byte >= 0x80 { return (false, upper) }
                if byte >= 0x41 && byte <= 0x5A { upper = true }
            }
            return (true, upper)
        }
        if ascii && !hasUpper { return string.withUTF8(body) }
        if ascii {
            return string.withUTF8 { bytes in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { buffer in
                    for i in 0..<bytes.count { buffer[i] = ASCII.lower(bytes[i]) }
                    return body(UnsafeBufferPointer(buffer))
                }
            }
        }
        return nfc(string.lowercased()).withUnsafeBufferPointer(body)
    }

    /// Whether two strings are one value as `eq` compares them: lowercased unless
    /// `caseExact`, NFC. ASCII text is compared in place, without allocating.
    static func equal(_ a: String, _ b: String, caseExact: Bool) -> Bool {
        if caseExact { return a == b }  // String equality is canonical equivalence (NFC = NFD)
        if ASCII.equalsIgnoringCase(a, b) { return true }
        guard !a.utf8.allSatisfy({ $0 < 0x80 }) || !b.utf8.allSatisfy({ $0 < 0x80 }) else { return false }
        return folded(a, caseExact: false) == folded(b, caseExact: false)
    }

    static func compare(_ actual: String, _ pattern: [UInt8], caseExact: Bool, _ op: ComparisonOperator) -> Bool {
        withFolded(actual, caseExact: caseExact) { a in
            pattern.withUnsafeBufferPointer { p in
                switch op {
                case .eq: return a.elementsEqual(p)
                case .ne: return !a.elementsEqual(p)
                case .sw: return a.count >= p.count && a.prefix(p.count).elementsEqual(p)
                case .ew: return a.count >= p.count && a.suffix(p.count).elementsEqual(p)
                case .co: return contains(a, p)
                case .gt: return order(a, p) > 0
                case .ge: return order(a, p) >= 0
                case .lt: return order(a, p) < 0
                case .le: return order(a, p) <= 0
                }
            }
        }
    }

    static func order(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let n = min(a.count, b.count)
        for i in 0..<n where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        if needle.isEmpty { return true }
        guard haystack.count >= needle.count else { return false }
        let first = needle[0]
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}
