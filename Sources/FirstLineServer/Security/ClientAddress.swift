import FirstLineCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Who sent a request, for the per-address limits, and whether it came over TLS, for the cookie's
/// `Secure` flag. The peer of the TCP connection is the client, unless it is one of the configured
/// reverse proxies: then (and only then) the last address of `X-Forwarded-For` that is not itself a
/// trusted proxy is, and `X-Forwarded-Proto` says the scheme. A client cannot pick its own address by
/// sending the header to a server that has no proxy configured.
public struct ClientAddress: Sendable, Equatable {
    public var address: String
    public var isHTTPS: Bool

    /// `peer` nil (a test client without a socket) counts as the address "local".
    public static func resolve(peer: String?, headers: HTTPFields, trustedProxies: [String]) -> ClientAddress {
        let peer = peer ?? "local"
        guard trustedProxies.contains(peer) else { return ClientAddress(address: peer, isHTTPS: false) }
        var client = peer
        let forwarded = headers[values: .xForwardedFor].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        // Proxies append: walk back from the nearest hop, past our own proxies, to the first other one.
        for hop in forwarded.reversed() {
            guard RequestLimits.isIPAddress(hop) else { break }
            client = hop
            if !trustedProxies.contains(hop) { break }
        }
        let proto = headers[.xForwardedProto]?.split(separator: ",").first?.trimmingCharacters(in: .whitespaces).lowercased()
        return ClientAddress(address: client, isHTTPS: proto == "https")
    }

    static func peerAddress(_ address: SocketAddress?) -> String? {
        address?.ipAddress
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let retryAfter = HTTPField.Name("Retry-After")!
}
