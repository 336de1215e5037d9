/// A git delta (gitformat-pack, "Deltified representation") between two versions of a
/// tree, of the simplest useful kind: copy the common start, insert what differs, copy the
/// common end.
///
/// Why it exists: a commit changes one entry of each tree on its path, so consecutive
/// versions of a folder's tree share everything but ~30 bytes; stored whole, the 256-entry
/// trees are most of the repository. `git repack` would find these deltas, but it never
/// retries two objects it finds stored whole in the same pack (it assumes the delta was
/// already tried), so the writer must store them as deltas when it merges its packs.
enum PackDelta {
    /// The delta turning `base` into `target`, or nil when it would not save at least half.
    static func make(from base: [UInt8], to target: [UInt8]) -> [UInt8]? {
        let limit = min(base.count, target.count)
        var prefix = 0
        while prefix < limit && base[prefix] == target[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < limit - prefix && base[base.count - 1 - suffix] == target[target.count - 1 - suffix] { suffix += 1 }

        var out: [UInt8] = []
        appendSize(base.count, to: &out)
        appendSize(target.count, to: &out)
        appendCopy(offset: 0, count: prefix, to: &out)
        var position = prefix
        let end = target.count - suffix
        while position < end {
            let chunk = min(127, end - position)
            out.append(UInt8(chunk))
            out += target[position ..< position + chunk]
            position += chunk
        }
        appendCopy(offset: base.count - suffix, count: suffix, to: &out)
        return out.count * 2 <= target.count ? out : nil
    }

    /// Applies a delta (for tests, and to check one before trusting it).
    static func apply(_ delta: [UInt8], to base: [UInt8]) -> [UInt8]? {
        var position = 0
        func size() -> Int? {
            var value = 0, shift = 0
            while position < delta.count {
                let byte = delta[position]
                position += 1
                value |= Int(byte & 0x7f) << shift
                shift += 7
                if byte & 0x80 == 0 { return value }
            }
            return nil
        }
        guard size() == base.count, let resultSize = size() else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(resultSize)
        while position < delta.count {
            let op = delta[position]
            position += 1
            if op & 0x80 != 0 {
                var offset = 0, count = 0
                for bit in 0..<4 where op & (1 << bit) != 0 {
                    guard position < delta.count else { return nil }
                    offset |= Int(delta[position]) << (8 * bit)
                    position += 1
                }
                for bit in 0..<3 where op & (0x10 << bit) != 0 {
                    guard position < delta.count else { return nil }
                    count |= Int(delta[position]) << (8 * bit)
                    position += 1
                }
                if count == 0 { count = 0x10000 }
                guard offset + count <= base.count else { return nil }
                out += base[offset ..< offset + count]
            } else if op != 0 {
                guard position + Int(op) <= delta.count else { return nil }
                out += delta[position ..< position + Int(op)]
                position += Int(op)
            } else {
                return nil
            }
        }
        return out.count == resultSize ? out : nil
    }

    /// Sizes: 7 bits per byte, low first, high bit set while more follow.
    private static func appendSize(_ size: Int, to out: inout [UInt8]) {
        var remaining = size
        while remaining >= 0x80 {
            out.append(UInt8(remaining & 0x7f) | 0x80)
            remaining >>= 7
        }
        out.append(UInt8(remaining))
    }

    /// Copy instructions: at most 64 KiB each; only the non-zero bytes of offset and size
    /// are written, flagged in the opcode.
    private static func appendCopy(offset: Int, count: Int, to out: inout [UInt8]) {
        var offset = offset
        var remaining = count
        while remaining > 0 {
            let chunk = min(remaining, 0x10000)
            var op: UInt8 = 0x80
            var operands: [UInt8] = []
            for byte in 0..<4 {
                let value = UInt8((offset >> (8 * byte)) & 0xff)
                if value != 0 { op |= 1 << byte; operands.append(value) }
            }
            let size = chunk == 0x10000 ? 0 : chunk
            for byte in 0..<3 {
                let value = UInt8((size >> (8 * byte)) & 0xff)
                if value != 0 { op |= 0x10 << byte; operands.append(value) }
            }
            out.append(op)
            out += operands
            offset += chunk
            remaining -= chunk
        }
    }
}
