/// What reading one resource gives: the resource, or — when the client's `If-None-Match`
/// names its current version — only that version, for a `304 Not Modified` that renders
/// nothing.
public enum ReadResult: Sendable {
    case resource(ResourceRecord)
    case notModified(version: String)
}
