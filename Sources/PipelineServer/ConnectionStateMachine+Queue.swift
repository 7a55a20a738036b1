extension ConnectionStateMachine {
    /// The requests whose end was read and whose answers have not left, oldest first, each with
    /// its answer once that is ready.
    ///
    /// Nearly every request is the only one waiting and is answered as it is read: that one is
    /// held inline (`waiting`) and the array is never touched, so a keep-alive connection
    /// allocates nothing per request here and an idle one holds no buffer. Everything else
    /// (pipelined requests, an answer that waits for a commit, a failure's answer) goes to `slots`.
    struct AnswerQueue {
        private struct Slot {
            var id: RequestID
            var keepAlive: Bool
            var ready: (payload: Payload, kind: Kind)?
        }

        /// The oldest request, when it is alone and its answer is not ready; `slots` is empty then.
        private var waiting: (id: RequestID, keepAlive: Bool)?
        private var slots: [Slot] = []

        var count: Int { waiting == nil ? slots.count : 1 }
        var isEmpty: Bool { waiting == nil && slots.isEmpty }

        /// Whether the oldest request's answer is ready to leave.
        var frontIsReady: Bool { waiting == nil && slots.first?.ready != nil }

        /// Adds a request whose answer is not ready yet.
        mutating func append(id: RequestID, keepAlive: Bool) {
            if isEmpty {
                waiting = (id, keepAlive)
                return
            }
            spill()
            slots.append(Slot(id: id, keepAlive: keepAlive))
        }

        /// Adds a request whose answer is ready already (a failure's).
        mutating func append(id: RequestID, keepAlive: Bool, ready: (payload: Payload, kind: Kind)) {
            spill()
            slots.append(Slot(id: id, keepAlive: keepAlive, ready: ready))
        }

        /// Records the answer to request `id`, unless it has one already or is not waiting.
        mutating func setReady(_ id: RequestID, _ answer: (payload: Payload, kind: Kind)) {
            spill()
            guard let index = slots.firstIndex(where: { $0.id == id }), slots[index].ready == nil else { return }
            slots[index].ready = answer
        }

        /// Removes the oldest request, whose answer is ready (`frontIsReady`).
        mutating func removeFront() -> (keepAlive: Bool, payload: Payload, kind: Kind) {
            let front = slots.removeFirst()
            let ready = front.ready!
            return (front.keepAlive, ready.payload, ready.kind)
        }

        /// Removes request `id` if it is the only one waiting and has no answer yet; returns its
        /// `keepAlive`, or nil (and changes nothing) otherwise.
        mutating func removeIfAlone(_ id: RequestID) -> Bool? {
            if let alone = waiting, alone.id == id {
                waiting = nil
                return alone.keepAlive
            }
            guard slots.count == 1, slots[0].id == id, slots[0].ready == nil else { return nil }
            let keepAlive = slots[0].keepAlive
            slots = []  // not kept for the next request: an idle connection holds no buffer
            return keepAlive
        }

        mutating func removeAll() {
            waiting = nil
            slots.removeAll()
        }

        /// Moves the inline request into `slots`, before anything joins it or its answer is kept.
        private mutating func spill() {
            guard let alone = waiting else { return }
            waiting = nil
            slots.append(Slot(id: alone.id, keepAlive: alone.keepAlive))
        }
    }
}
