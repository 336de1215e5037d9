import Logging

import Foundation

/// Logging for the command-line tools: warnings and errors to stderr only, so command
/// output stays clean for scripts; `SCIMGIT_LOG_LEVEL=debug` shows where a long command
/// (an import) spends its time.
enum CLILogging {
    static let logger: Logger = {
        var logger = Logger(label: "scimgit.cli") { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel = ProcessInfo.processInfo.environment["SCIMGIT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return logger
    }()
}
