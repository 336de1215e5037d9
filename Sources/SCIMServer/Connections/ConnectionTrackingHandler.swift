import NIOCore
import NIOHTTPTypes

/// Tells the server's `ConnectionTracker` about one connection: that it opened (closing
/// it at once if the tracker refuses it), when a request is being handled (head read,
/// response not yet written: it must not be evicted then) and that it closed.
final class ConnectionTrackingHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let tracker: ConnectionTracker
    private var isTracked = false

    init(tracker: ConnectionTracker) {
        self.tracker = tracker
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { _ = admit(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        // A refused connection is closed before anything after this handler sees it.
        if admit(context) { context.fireChannelActive() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        release(context)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        release(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { tracker.requestStarted(on: context.channel) }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { tracker.requestFinished(on: context.channel) }
        context.write(data, promise: promise)
    }

    private func admit(_ context: ChannelHandlerContext) -> Bool {
        guard !isTracked else { return true }
        guard tracker.open(context.channel) else {
            context.close(promise: nil)
            return false
        }
        isTracked = true
        return true
    }

    private func release(_ context: ChannelHandlerContext) {
        guard isTracked else { return }
        isTracked = false
        tracker.close(context.channel)
    }
}
