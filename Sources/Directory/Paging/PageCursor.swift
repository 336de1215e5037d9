import Crypto
import Foundation
import Files
import GitStore
import SCIM
import SCIMService
import Synchronization

/// One page of a cursor walk (RFC 9865), as the `nextCursor`/`previousCursor` a client
/// sends back: the commit the walk is pinned to, where the page starts, the page size and
/// query it belongs to, and when it was issued, signed with the store's own key. Opaque
/// and URL-safe (base64url); a forged, altered or foreign one (another store's, another
/// tenant's) fails the signature and is `invalidCursor`.
struct PageCursor: Equatable {
    var commit: ObjectID
    /// 0-based position of the page's first resource.
    var offset: Int
    var count: Int
    /// Which query it belongs to: `SearchRequest.walkFingerprint` and the types, hashed.
    var query: UInt64
    /// Seconds since 1970.
    var issuedAt: Int64

    static func query(_ types: [ResourceType], _ request: SearchRequest) -> UInt64 {
        let text = types.map(\.id).joined(separator: ",") + "|" + request.walkFingerprint
        return SHA256.hash(data: Array(text.utf8)).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }
}

/// Signs and checks cursors with a key kept in `.git/scimgit/cursor-key`, created on first
/// use (never in history; a new key, after the file is removed, only ends open walks).
final class PageCursorCodec: Sendable {
    private let path: String
    private let key = Mutex<SymmetricKey?>(nil)
    private static let version: UInt8 = 1
    private static let macLength = 16

    init(paths: MetadataPaths) {
        path = paths.cursorKey
    }

    func encode(_ cursor: PageCursor) throws(SCIMError) -> String {
        var payload: [UInt8] = [PageCursorCodec.version]
        payload += cursor.commit.bytes
        append(UInt64(cursor.offset), to: &payload)
        append(UInt64(cursor.count), to: &payload)
        append(cursor.query, to: &payload)
        append(UInt64(bitPattern: cursor.issuedAt), to: &payload)
        payload += try mac(payload)
        return Data(payload).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    func decode(_ text: String, now: Int64) throws(SCIMError) -> PageCursor {
        let invalid = SCIMError.invalidCursor("the cursor was not issued by this server for this store; start the walk again with an empty cursor")
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard text.count < 200, let data = Data(base64Encoded: base64) else { throw invalid }
        let bytes = [UInt8](data)
        let payloadLength = 1 + 20 + 8 * 4
        guard bytes.count == payloadLength + PageCursorCodec.macLength, bytes[0] == PageCursorCodec.version else { throw invalid }
        let payload = Array(bytes[..<payloadLength])
        guard constantTimeEqual(try mac(payload), Array(bytes[payloadLength...])) else { throw invalid }
        guard let commit = ObjectID(bytes: Array(payload[1..<21])) else { throw invalid }
        func number(_ at: Int) -> UInt64 { payload[at..<(at + 8)].reduce(0) { $0 << 8 | UInt64($1) } }
        let cursor = PageCursor(
            commit: commit, offset: Int(clamping: number(21)), count: Int(clamping: number(29)), query: number(37),
            issuedAt: Int64(bitPattern: number(45)))
        guard now - cursor.issuedAt <= Int64(CursorPaging.timeoutSeconds) else {
            throw SCIMError.expiredCursor("the cursor is more than \(CursorPaging.timeoutSeconds) seconds old (cursorTimeout); start the walk again with an empty cursor")
        }
        return cursor
    }

    private func append(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    private func mac(_ payload: [UInt8]) throws(SCIMError) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: payload, using: try signingKey())).prefix(PageCursorCodec.macLength).map { $0 }
    }

    private func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func signingKey() throws(SCIMError) -> SymmetricKey {
        do {
            return try key.withLock { stored in
                if let stored { return stored }
                if let bytes = try AtomicFile.read(path), bytes.count == 32 {
                    stored = SymmetricKey(data: bytes)
                } else {
                    let fresh = SymmetricKey(size: .bits256)
                    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    try AtomicFile.write(fresh.withUnsafeBytes { Array($0) }, to: path, mode: 0o600, durable: true)
                    stored = fresh
                }
                return stored!
            }
        } catch {
            throw SCIMError(status: 503, detail: "cannot read or create the store's cursor key: \(error)")
        }
    }
}
