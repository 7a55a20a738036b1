/// The part of a client's text that an error message quotes. A message names the key or value
/// it is about so the client can find it, but a 500 KB key must not come back as a 500 KB error
/// (nor fill a log line): past `maximumScalars` the quote is cut and ends in `…`.
package enum Excerpt {
    /// Unicode scalars quoted at most (API.md counts characters as scalars).
    package static let maximumScalars = 64

    /// `text`, or its first `maximumScalars` scalars followed by `…`.
    package static func of(_ text: some StringProtocol) -> String {
        let scalars = text.unicodeScalars
        guard let cut = scalars.index(scalars.startIndex, offsetBy: maximumScalars, limitedBy: scalars.endIndex),
            cut != scalars.endIndex
        else { return String(text) }
        return String(String.UnicodeScalarView(scalars[..<cut])) + "…"
    }

    /// The excerpt of valid UTF-8 `bytes`, decoding no more than it needs: a scalar takes at most
    /// 4 bytes, so a longer input still has more than `maximumScalars` scalars in its prefix.
    package static func of(utf8 bytes: some Collection<UInt8>) -> String {
        of(String(decoding: bytes.prefix(4 * maximumScalars + 4), as: UTF8.self))
    }
}
