import Exporter
import Hummingbird
import MPTCPKit

/// The HTTP side: `GET /metrics` (the exposition text), `GET /` (a small page naming the
/// namespaces and linking the metrics), 405 for another method on those paths, 404 elsewhere.
/// Hummingbird (SwiftNIO) serves every connection on its own: a slow or stalled client holds
/// only its own connection, and an idle one is closed after 30 s.
enum MetricsServer {
    static func run(host: String, port: Int, fleet: Fleet) async throws {
        let router = Router()
        router.add(middleware: OnlyGet())
        router.get("/metrics") { _, _ -> Response in
            let body = await fleet.scrape()
            return Response(status: .ok, headers: [.contentType: Exposition.contentType],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
        router.get("/") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: page(fleet.labels))))
        }
        let app = Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .seconds(30))),
            configuration: .init(address: .hostname(host, port: port), serverName: "mptop-exporter"),
            onServerRunning: { _ in Console.err("mptop-exporter: serving http://\(hostText(host)):\(port)/metrics\n") })
        try await app.runService()
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

/// 405 (with `Allow: GET`) for another method on the exporter's two pages; the router answers
/// 404 for every other path.
struct OnlyGet<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if request.method != .get, path == "/" || path == "/metrics" {
            return Response(status: .methodNotAllowed, headers: [.allow: "GET"])
        }
        return try await next(request, context)
    }
}
