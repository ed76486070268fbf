import Hummingbird
import Logging

/// One debug line per request and one per answer, with the request id Hummingbird binds to
/// `context.logger` (`hb.request.id`), the method, the path **without its query** (a web chat poll
/// carries its session there) and the status. No header is logged: `Authorization`, `Cookie` and
/// the platforms' signature and secret-token headers are credentials. (Hummingbird's own
/// `LogRequestsMiddleware` logs the whole URI.)
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var metadata: Logger.Metadata = ["http.method": "\(request.method.rawValue)", "http.path": "\(request.uri.path)"]
        context.logger.debug("request", metadata: metadata)
        do {
            let response = try await next(request, context)
            metadata["http.status"] = "\(response.status.code)"
            let elapsed = (ContinuousClock.now - start).components
            metadata["duration.ms"] = "\(elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000)"
            context.logger.debug("response", metadata: metadata)
            return response
        } catch {
            metadata["error.type"] = "\(type(of: error))"
            context.logger.debug("request refused", metadata: metadata)
            throw error
        }
    }
}
