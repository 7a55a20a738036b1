import UVLoop

/// The domain services the handlers use, all living on the server's loop.
final class Services {
    let loop: Loop
    let executor: LoopExecutor

    init(loop: Loop) {
        self.loop = loop
        executor = LoopExecutor(loop: loop)
    }

    func start() throws(UVError) {}

    /// Closes the services' own handles during shutdown.
    func stop() {}
}
