/// Byte-level ASCII helpers shared by the parsers and the evaluator.
///
/// SCIM attribute names, operators and URNs are ASCII and compared case-insensitively;
/// doing that on UTF-8 bytes avoids allocating lowercased copies on hot paths.
enum ASCII {
    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }

    /// Case-insensitive equality for ASCII letters; other bytes must match exactly.
    static func equalsIgnoringCase(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { pa in
            b.withUTF8 { pb in
                guard pa.count == pb.count else { return false }
                for i in 0..<pa.count where lower(pa[i]) != lower(pb[i]) { return false }
                return true
            }
        }
    }

    /// True when `string` starts with `prefix`, ignoring ASCII case.
    static func hasPrefixIgnoringCase(_ string: String, _ prefix: String) -> Bool {
        var s = string, p = prefix
        return s.withUTF8 { ps in
            p.withUTF8 { pp in
                guard ps.count >= pp.count else { return false }
                for i in 0..<pp.count where lower(ps[i]) != lower(pp[i]) { return false }
                return true
            }
        }
    }

    /// The string with ASCII letters lowercased (other characters untouched).
    static func lowercased(_ string: String) -> String {
        var s = string
        let needs = s.withUTF8 { $0.contains { $0 >= 0x41 && $0 <= 0x5A } }
        guard needs else { return string }
        return s.withUTF8 { buffer in
            String(unsafeUninitializedCapacity: buffer.count) { out in
                for i in 0..<buffer.count { out[i] = lower(buffer[i]) }
                return buffer.count
            }
        }
    }
}
