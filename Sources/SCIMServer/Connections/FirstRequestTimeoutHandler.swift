import NIOCore
import NIOHTTPTypes

/// Closes a connection that has not sent a complete request head within `timeout` of
/// opening (for HTTPS, the TLS handshake included).
///
/// A socket that sends nothing costs an attacker nothing, so new connections get less
/// time than the idle timeout gives established ones: an identity provider sends its
/// request right after connecting, and an IdP that has been served keeps its connection
/// for the whole idle timeout. After the first head this handler does nothing.
final class FirstRequestTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?
    private var hasReceivedRequest = false

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startTimer(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        startTimer(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !hasReceivedRequest, case .head = unwrapInboundIn(data) {
            hasReceivedRequest = true
            cancelTimer()
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
    }

    private func startTimer(_ context: ChannelHandlerContext) {
        guard deadline == nil, !hasReceivedRequest else { return }
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            context.close(promise: nil)
        }
    }

    private func cancelTimer() {
        deadline?.cancel()
        deadline = nil
    }
}
