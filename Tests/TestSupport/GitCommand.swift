import Foundation

/// Runs the git command line in a store, to check what plain git (what an admin) sees.
@discardableResult
public func git(_ arguments: [String], in folder: String, allowFailure: Bool = false) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
    process.arguments = ["-c", "user.name=Admin", "-c", "user.email=admin@example.com", "-c", "safe.directory=*"] + arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    var environment = ProcessInfo.processInfo.environment
    environment["GIT_CONFIG_NOSYSTEM"] = "1"
    environment["HOME"] = folder
    process.environment = environment
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    if process.terminationStatus != 0 && !allowFailure {
        throw GitCommandFailed(arguments: arguments, status: process.terminationStatus, output: String(decoding: errorData, as: UTF8.self))
    }
    return String(decoding: data, as: UTF8.self)
}

public struct GitCommandFailed: Error, CustomStringConvertible {
    public var arguments: [String]
    public var status: Int32
    public var output: String
    public var description: String { "git \(arguments.joined(separator: " ")) exited \(status): \(output)" }
}

/// Polls until `condition` holds or `seconds` pass.
public func eventually(within seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    repeat {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.02)
    } while Date() < deadline
    return try condition()
}

/// The repository's root, found from a test file's path (`#filePath`).
public func repositoryRoot(_ file: String = #filePath) -> URL {
    var url = URL(fileURLWithPath: file)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    fatalError("no Package.swift above \(file)")
}
