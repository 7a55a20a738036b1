import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A pseudo-terminal pair: the child writes to `childEnd` (a terminal, so `isatty` is true) and
/// the test reads what it wrote from `parentEnd`. This is how the tests see the CLI as a person
/// at a terminal does, without `script`.
struct PseudoTerminal {
    let parentEnd: FileHandle
    let childEnd: FileHandle

    init() throws {
        // posix_openpt/grantpt/unlockpt/ptsname are not visible to Swift without _XOPEN_SOURCE, so
        // this is what they do on Linux: open the multiplexer, unlock the new terminal, ask its number.
        let parent = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        guard parent >= 0 else { throw HarnessError("cannot open /dev/ptmx: errno \(errno)") }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(parent, Self.setLock, &unlock) == 0, ioctl(parent, Self.getNumber, &number) == 0 else {
            close(parent)
            throw HarnessError("cannot unlock a pseudo-terminal: errno \(errno)")
        }
        let child = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        guard child >= 0 else {
            close(parent)
            throw HarnessError("cannot open /dev/pts/\(number): errno \(errno)")
        }
        parentEnd = FileHandle(fileDescriptor: parent, closeOnDealloc: false)
        childEnd = FileHandle(fileDescriptor: child, closeOnDealloc: false)
    }

    /// `TIOCSPTLCK` and `TIOCGPTN` from <asm-generic/ioctls.h> (macros Swift cannot import).
    private static let setLock = UInt(0x4004_5431)
    private static let getNumber = UInt(0x8004_5430)
}
