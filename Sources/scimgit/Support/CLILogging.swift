import Logging

/// Logging for the command-line tools: warnings and errors to stderr only, so command
/// output stays clean for scripts.
enum CLILogging {
    static let logger: Logger = {
        var logger = Logger(label: "scimgit.cli") { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel = .warning
        return logger
    }()
}
