/// About how many bytes of memory the indexes hold: what `/metrics` reports as
/// `scimgit_index_bytes`, so an operator sees what the store costs apart from the rest
/// of the process (resident memory also counts malloc's cache and freed pages it keeps).
///
/// An estimate from the layout Swift gives these types on 64-bit Linux: a string of more
/// than 15 UTF-8 bytes is a heap object (32 bytes of header and capacity) holding them, a
/// shorter one lives inline; a dictionary or set entry costs its key and value strides over
/// a table kept at most three quarters full; an array element its stride. An id's text is
/// shared by every table that holds it (copy on write), so it is counted once.
extension DirectoryIndex.State {
    var estimatedBytes: Int {
        var total = 0
        for (_, summary) in summaries {
            total += IndexFootprint.entry(key: 16, value: MemoryLayout<ResourceSummary>.stride)
            total += IndexFootprint.heap(36) // the id, a UUID (shared by every other table)
            total += IndexFootprint.heap(summary.name.utf8.count)
            total += IndexFootprint.array(summary.keys.values.count, stride: 16)
            // Keys equal to the name or to each other share its storage (`ResourceSummary`).
            var counted = [summary.name]
            for key in summary.keys.values where !counted.contains(key) {
                total += IndexFootprint.heap(key.utf8.count)
                counted.append(key)
            }
        }
        for (_, ids) in order { total += IndexFootprint.array(ids.count, stride: 16) }
        for (_, paths) in equality {
            for (path, keys) in paths {
                total += IndexFootprint.entry(key: 16, value: 8) + IndexFootprint.heap(path.utf8.count)
                for (key, ids) in keys {
                    total += IndexFootprint.entry(key: 16, value: MemoryLayout<IDSet>.stride) + IndexFootprint.heap(key.utf8.count)
                    if ids.count > 1 { total += IndexFootprint.table(ids.count, stride: 16) }
                }
            }
        }
        for (_, groupMembers) in members {
            total += IndexFootprint.entry(key: 16, value: 8) + IndexFootprint.table(groupMembers.count, stride: 17)
        }
        for (_, groups) in memberOf {
            total += IndexFootprint.entry(key: 16, value: MemoryLayout<IDSet>.stride)
            if groups.count > 1 { total += IndexFootprint.table(groups.count, stride: 16) }
        }
        for (_, displays) in memberDisplays {
            total += IndexFootprint.entry(key: 16, value: 8) + IndexFootprint.table(displays.count, stride: 16 + MemoryLayout<MemberDisplay>.stride)
            for (_, display) in displays {
                total += IndexFootprint.heap(display.text.utf8.count) + IndexFootprint.heap(display.givenFor?.utf8.count ?? 0)
            }
        }
        for (_, file) in broken { total += IndexFootprint.entry(key: 16, value: 16) + IndexFootprint.heap(file.utf8.count) }
        return total
    }
}

/// The sizes `estimatedBytes` adds up.
enum IndexFootprint {
    /// A string's heap storage: none when it fits inline.
    static func heap(_ utf8Count: Int) -> Int { utf8Count <= 15 ? 0 : 32 + ((utf8Count + 15) & ~15) }

    /// One entry of a hash table kept at most three quarters full.
    static func entry(key: Int, value: Int) -> Int { (key + value) * 4 / 3 + 1 }

    /// A hash table of `count` entries of `stride` bytes, with its header.
    static func table(_ count: Int, stride: Int) -> Int { 64 + count * (stride * 4 / 3 + 1) }

    /// An array's storage, with its header.
    static func array(_ count: Int, stride: Int) -> Int { count == 0 ? 0 : 32 + count * stride }
}
