@testable import Pipelines

extension Identifier {
    /// A valid version 4 id the test can name by a number (`numbered(3)` ends in `…000000000003`),
    /// for logs and lookups that need ids but no generator.
    static func numbered(_ number: Int) -> Identifier {
        Identifier(high: 0x4000, low: 0x8000_0000_0000_0000 | UInt64(number))
    }
}
