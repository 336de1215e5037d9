import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes the connection after a response that carries `Connection: close` (a `413`, a
/// body whose framing is broken), as RFC 9112 §9.6 asks of the server. Hummingbird only
/// closes when the request asked for it: after a `413` it went on reading the refused
/// body, and after broken framing it kept the socket until the client hung up.
///
/// The close lingers: the output is shut right after the response, so the client reads
/// the response and then the end of the stream, and the socket is released `linger`
/// later. Closing at once would answer the bytes a client is still sending with a TCP
/// reset, which can destroy the response before the client has read it.
final class ConnectionCloseHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    static let defaultLinger: TimeAmount = .seconds(2)

    private let linger: TimeAmount
    private var closesAfterResponse = false

    init(linger: TimeAmount = ConnectionCloseHandler.defaultLinger) {
        self.linger = linger
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            closesAfterResponse = Self.asksToClose(head.headerFields)
        case .end where closesAfterResponse:
            let written = promise ?? context.eventLoop.makePromise()
            context.writeAndFlush(data, promise: written)
            let channel = context.channel
            let linger = self.linger
            written.futureResult.assumeIsolated().whenComplete { _ in
                channel.close(mode: .output, promise: nil)
                channel.eventLoop.assumeIsolated().scheduleTask(in: linger) { channel.close(promise: nil) }
            }
            return
        case .body, .end:
            break
        }
        context.write(data, promise: promise)
    }

    /// Whether `Connection` lists the `close` option (options are comma-separated tokens).
    static func asksToClose(_ fields: HTTPFields) -> Bool {
        fields[values: .connection].contains { value in
            value.split(separator: ",").contains { String($0).trimmingASCIIWhitespace.lowercased() == "close" }
        }
    }
}
