import ArgumentParser
import Foundation
import GitStore
import SCIMServer

extension Durability: ExpressibleByArgument {}

/// Parses `--max-body` sizes: bytes, or with a unit (`10MiB`, `512KiB`, `1GB`).
enum ByteSize {
    static func parse(_ text: String) throws -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isNumber }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        guard let value = Int(digits), value > 0 else { throw ValidationError("'\(text)' is not a size: use bytes or 10MiB, 512KiB…") }
        let factor: Int
        switch unit {
        case "", "b": factor = 1
        case "k", "kb", "kib": factor = 1024
        case "m", "mb", "mib": factor = 1024 * 1024
        case "g", "gb", "gib": factor = 1024 * 1024 * 1024
        default: throw ValidationError("unknown size unit '\(unit)' in '\(text)'")
        }
        return value * factor
    }
}

/// Resolves `--max-connections` against the open-file limit: every connection is a
/// descriptor, and the store needs its own (`DescriptorLimit.reserve`).
enum MaxConnectionsOption {
    static func resolve(_ requested: Int?, within limit: DescriptorLimit?) throws -> Int {
        guard let limit else { return requested ?? SCIMServerConfiguration.defaultMaxConnections }
        let capacity = limit.connectionCapacity
        let advice = "raise the open-file limit (ulimit -n; LimitNOFILE= for a systemd service)"
        guard capacity > 0 else {
            throw CLIError("the open-file limit \(limit) leaves no room for connections (\(DescriptorLimit.reserve) descriptors are kept for the store): \(advice)")
        }
        guard let requested else { return min(SCIMServerConfiguration.defaultMaxConnections, capacity) }
        guard requested <= capacity else {
            throw CLIError("--max-connections \(requested) does not fit the open-file limit \(limit): at most \(capacity) (\(DescriptorLimit.reserve) descriptors are kept for the store); \(advice), or ask for fewer")
        }
        return requested
    }
}

/// Parses `--rate-limit` values: `50/s`, `50`, `3000/min`.
enum RateLimitOption {
    static func parse(_ text: String) throws -> RateLimit {
        let parts = text.lowercased().split(separator: "/", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let count = Double(parts[0]), count > 0, count.isFinite else {
            throw ValidationError("'\(text)' is not a rate: use N/s (requests per second per client) or N/min")
        }
        let per = parts.count == 2 ? parts[1] : "s"
        switch per {
        case "s", "sec", "second": return RateLimit(requestsPerSecond: count)
        case "m", "min", "minute": return RateLimit(requestsPerSecond: count / 60)
        default: throw ValidationError("unknown rate unit '/\(per)' in '\(text)': use /s or /min")
        }
    }
}
