import Testing

/// The attack reproductions on the real binary (`AttackFanOutTests.swift`,
/// `AttackAmplificationTests.swift`, `AttackMemoryTests.swift`), one at a time: each is a storm
/// that takes both cores, and two at once would measure each other rather than the server.
@Suite(.serialized) enum AttackTests {}
