import Exporter
import MPTCPKit
import Output
import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP side, on SwiftNIO's HTTP/1 server: `GET /metrics` (the exposition text), `GET /` (a
/// small page naming the namespaces), 405 for another method on those paths, 404 elsewhere, 400
/// for what does not parse as HTTP. Every connection is served on its own without blocking: a
/// slow or stalled client holds only its own connection, and one idle for 30 s is closed.
/// Pipelined requests are answered in order.
enum MetricsServer {
    static let idleTimeout = TimeAmount.seconds(30)

    static func run(host: String, port: Int, fleet: Fleet) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        // Its threads were started from async code, at libdispatch's nice value.
        for loop in group.makeIterator() { try await loop.submit { ThreadSettings.adoptLaunched() }.get() }
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(allTimeout: idleTimeout))
                        try channel.pipeline.syncOperations.addHandler(RequestHandler(fleet: fleet))
                    }
                }
                .bind(host: host, port: port).get()
        } catch {
            throw MPTopError.io("cannot listen on \(hostText(host)):\(port): \(error)")
        }
        Console.err("mptop-exporter: serving http://\(hostText(host)):\(port)/metrics\n")
        try await channel.closeFuture.get()
    }

    static func hostText(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }

    static func page(_ namespaces: [String]) -> String {
        let list = namespaces.map { "<li>\(html($0))</li>" }.joined()
        return """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>mptop-exporter</title></head>
        <body><h1>mptop-exporter</h1><p>MPTCP connections, subflows and interface shares for Prometheus: <a href="/metrics">/metrics</a></p>
        <p>Network namespaces watched:</p><ul>\(list)</ul></body></html>

        """
    }

    /// Namespace names are file names: anything but '/' can be in them.
    static func html(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}

/// One HTTP connection's requests. Runs on the connection's event loop; a scrape runs on the
/// namespace workers' threads (they sample, the last one renders) and its answer is written
/// back on that loop.
final class RequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let fleet: Fleet
    private var head: HTTPRequestHead?
    private var bodyless = false

    init(fleet: Fleet) { self.fleet = fleet }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
        case .body:
            break // no page takes a body
        case .end:
            guard let head else { return }
            self.head = nil
            respond(to: head, context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let keepAlive = head.isKeepAlive
        // A HEAD request gets the headers of its answer and no body (RFC 9110 9.3.2).
        bodyless = head.method == .HEAD
        guard path == "/" || path == "/metrics" else {
            return write(.notFound, contentType: "text/plain; charset=utf-8", Array("not found\n".utf8), keepAlive, context)
        }
        guard head.method == .GET else {
            return write(.methodNotAllowed, contentType: "text/plain; charset=utf-8", Array("only GET\n".utf8), keepAlive, context,
                         extra: [("Allow", "GET")])
        }
        if path == "/" {
            return write(.ok, contentType: "text/html; charset=utf-8", Array(MetricsServer.page(fleet.labels).utf8), keepAlive, context)
        }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let loop = context.eventLoop
        fleet.scrape { body in
            loop.execute {
                let (handler, context) = bound.value
                handler.write(.ok, contentType: Exposition.contentType, body, keepAlive, context)
            }
        }
    }

    private func write(_ status: HTTPResponseStatus, contentType: String, _ body: [UInt8], _ keepAlive: Bool,
                       _ context: ChannelHandlerContext, extra: [(String, String)] = []) {
        var headers = HTTPHeaders([("Content-Type", contentType), ("Content-Length", String(body.count)),
                                   ("Server", "mptop-exporter")] + extra)
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        if !bodyless { context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil) }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            done.whenComplete { _ in bound.value.close(promise: nil) }
        }
    }
}
