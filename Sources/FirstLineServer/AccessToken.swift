import Crypto
import FirstLineCore
import Foundation

/// Bearer tokens of the agent API: 32 random bytes, shown once as `fl_<base64url>`, stored only as the
/// lowercase hex of their SHA-256.
///
/// Hashing without a salt is enough here because the tokens are random and long (256 bits): there is no
/// dictionary to precompute, unlike passwords. It also makes the lookup an index seek on the hash.
public enum AccessToken {
    /// Marks FirstLine tokens, so that secret scanners and people can tell them apart from other secrets.
    public static let prefix = "fl_"
    /// Longer `Authorization` values are refused before hashing; a real token is 46 characters.
    static let maximumLength = 512

    /// A new token from the system's cryptographic random source (`SymmetricKey` uses it).
    public static func generate() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let base64url = bytes.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + base64url
    }

    /// What the store keeps: lowercase hex SHA-256 of the token's UTF-8 bytes.
    public static func hash(_ token: String) -> String {
        digest(token).map { String(format: "%02x", $0) }.joined()
    }

    static func digest(_ token: String) -> SHA256.Digest {
        SHA256.hash(data: Data(token.utf8))
    }
}
