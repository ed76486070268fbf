import FirstLineCore
import Hummingbird

/// The request context of every route: the default one, with the body limit of design §6
/// (anything over 1 MiB is refused with 413 before a handler sees it).
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    public var maxUploadSize: Int { 1 << 20 }
}
