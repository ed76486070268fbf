import FirstLineCore
import Hummingbird
import NIOCore

/// The request context of every route: the default one, with the body limit of design §6
/// (anything over 1 MiB is refused with 413 before a handler sees it), and the peer address of the
/// connection for the per-address rate limits (nil under the router test client, which has no socket).
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The client as `RateLimitMiddleware` resolved it (through trusted proxies only); nil before it ran.
    public var client: ClientAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    public var maxUploadSize: Int { 1 << 20 }
}
