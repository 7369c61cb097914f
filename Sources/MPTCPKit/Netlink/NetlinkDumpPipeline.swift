#if canImport(Glibc)
import Glibc
#endif

/// Dumps received on a thread of their own while the caller decodes them.
///
/// Most of a dump's time is the kernel's: it walks its tables and writes the next datagram
/// inside the `recvmsg` that takes the last one. Received and decoded on one thread, that
/// kernel time and the decoding take turns; here a receiving thread keeps the kernel busy
/// while the caller decodes what came, so the two can overlap (on the 2-core build machine they
/// overlapped little: README, "Performance"). The CPU time is the same plus a wake-up per batch
/// of datagrams.
///
/// Datagrams go through a ring of reused slots (no allocation per sample; the receiver waits
/// when the decoder is a ring behind). Every check `NetlinkSocket.dump` makes is made here
/// too, in the same order: the caller walks each datagram with `NetlinkSocket.walkDump`, so an
/// error reply or a truncated message throws at the same message as it would there.
final class NetlinkDumpPipeline: @unchecked Sendable {
    /// A dump that failed: which of the requests, and why.
    struct Failure: Error {
        let dump: Int
        let error: any Error
    }

    private let socket: NetlinkSocket
    private let slotCount: Int
    /// The kernel writes dump datagrams of at most 32 KiB; a slot takes any datagram the socket's
    /// own buffer takes.
    private static let slotSize = 64 * 1024
    private let storage: UnsafeMutableRawBufferPointer
    /// What each slot holds: raw memory, not an Array, which the two threads could make copy itself.
    private let slots: UnsafeMutablePointer<(length: Int, dump: Int, sequence: UInt32)>

    // Shared between the two threads, under `lock`.
    private let lock = ConditionLock()
    private var received = 0, decoded = 0
    private var finished = false, cancelled = false
    /// Which side waits on `lock`: the other wakes it only when there is reason to, the
    /// decoder once `wakeBatch` datagrams wait (with a wake-up per datagram a sample cost 5–9%
    /// more CPU than on one thread).
    private var decoderWaits = false, receiverWaits = false
    private let wakeBatch: Int
    private var receiveFailure: Failure?
    /// The thread receiving the dumps `start` began, and how many there are.
    private var receiver: BackgroundThread<Void>?
    private var requestCount = 0

    /// `socket` is the pipeline's alone: nothing else may use it from `start` (or `run`) until
    /// `decode` returned or `stop` did. `slots`
    /// datagrams may wait to be decoded (the tests use one, so the receiver waits for every one).
    init(socket: NetlinkSocket, slots slotCount: Int = 16) {
        self.socket = socket
        self.slotCount = max(1, slotCount)
        wakeBatch = min(4, self.slotCount)
        storage = .allocate(byteCount: self.slotCount * Self.slotSize, alignment: 8)
        slots = .allocate(capacity: self.slotCount)
        slots.initialize(repeating: (0, 0, 0), count: self.slotCount)
    }

    deinit {
        stop()
        storage.deallocate()
        slots.deallocate()
    }

    /// Makes the dumps one after the other and hands every message of each to `onMessage`
    /// with the index of its request, in the order the kernel sent them; returns, per request,
    /// whether the kernel flagged its dump as interrupted. Throws `Failure` for the first dump
    /// that failed, after the messages before the failure were handed on. With `concurrently`
    /// false the dumps are received on the calling thread between decoding, as
    /// `NetlinkSocket.dump` does (what the benchmark compares with).
    func run(_ requests: [NetlinkRequestBuilder], concurrently: Bool = true,
             onMessage: (Int, NetlinkMessage) throws -> Void) throws -> [Bool] {
        guard concurrently else {
            return try requests.enumerated().map { dump, request in
                do { return try socket.dump(request) { try onMessage(dump, $0) } } catch { throw Failure(dump: dump, error: error) }
            }
        }
        start(requests)
        return try decode(onMessage: onMessage)
    }

    /// Starts receiving the dumps of `requests`, one after the other, on the pipeline's thread;
    /// `decode` hands on their messages (or `stop` ends them). Until the caller gets to them,
    /// up to `slots` datagrams are received ahead.
    func start(_ requests: [NetlinkRequestBuilder]) {
        stop()
        received = 0
        decoded = 0
        finished = false
        cancelled = false
        receiveFailure = nil
        requestCount = requests.count
        receiver = BackgroundThread { self.receive(requests) }
    }

    /// What `run` does after `start`: every message of the dumps started, as they come.
    func decode(onMessage: (Int, NetlinkMessage) throws -> Void) throws -> [Bool] {
        guard let receiver else { return [] }
        var interrupted = [Bool](repeating: false, count: requestCount)
        do {
            while let (slot, (length, dump, sequence)) = nextReceived() {
                let view = ByteView(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(storage)[(slot * Self.slotSize)..<(slot * Self.slotSize + length)]))
                do {
                    _ = try NetlinkSocket.walkDump(view, sequence: sequence, interrupted: &interrupted[dump]) { try onMessage(dump, $0) }
                } catch {
                    throw Failure(dump: dump, error: error)
                }
                lock.lock()
                decoded += 1
                if receiverWaits { lock.broadcast() }
                lock.unlock()
            }
        } catch {
            stop()
            throw error
        }
        receiver.wait()
        self.receiver = nil
        if let receiveFailure { throw receiveFailure }
        return interrupted
    }

    /// Ends what `start` began without decoding the rest: the receiver reads the dump it is in
    /// to the end (the kernel refuses a new dump on a socket whose last one is unfinished) and
    /// stops. Nothing to do when no dump was started or all were decoded.
    func stop() {
        guard let receiver else { return }
        update { cancelled = true }
        receiver.wait()
        self.receiver = nil
    }

    /// The slot of the next datagram to decode and what it holds, waiting for it; nil once the
    /// receiver finished.
    private func nextReceived() -> (Int, (length: Int, dump: Int, sequence: UInt32))? {
        lock.lock()
        defer { lock.unlock() }
        while decoded == received && !finished {
            decoderWaits = true
            lock.wait()
            decoderWaits = false
        }
        guard decoded < received else { return nil }
        let slot = decoded % slotCount
        return (slot, slots[slot])
    }

    private func update(_ change: () -> Void) {
        lock.lock()
        change()
        lock.broadcast()
        lock.unlock()
    }

    /// The receiving thread: each request sent once the last dump ended, its datagrams put in
    /// the ring. It stops after a datagram that ends the dumps with an error (the decoder throws
    /// it there) and at any failure to send or receive (kept for `run` to throw).
    private func receive(_ requests: [NetlinkRequestBuilder]) {
        defer { update { finished = true } }
        for (dump, request) in requests.enumerated() {
            let sequence = socket.nextSequence()
            do {
                try socket.send(request.finish(sequence: sequence))
                var done = false
                while !done {
                    lock.lock()
                    while received - decoded == slotCount && !cancelled {
                        receiverWaits = true
                        lock.wait()
                        receiverWaits = false
                    }
                    let (stop, slot) = (cancelled, received % slotCount)
                    lock.unlock()
                    var ignored = false
                    if stop {
                        // Nobody decodes any more: read the dump to its end and go.
                        done = try socket.receive { (try? NetlinkSocket.walkDump($0, sequence: sequence, interrupted: &ignored) { _ in }) ?? true }
                        if done { return }
                        continue
                    }
                    let space = UnsafeMutableRawBufferPointer(rebasing: storage[(slot * Self.slotSize)..<((slot + 1) * Self.slotSize)])
                    let length = try socket.receive(into: space)
                    let view = ByteView(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(space)[0..<length]))
                    let failed: Bool
                    do {
                        done = try NetlinkSocket.walkDump(view, sequence: sequence, interrupted: &ignored) { _ in }
                        failed = false
                    } catch {
                        failed = true
                    }
                    slots[slot] = (length, dump, sequence)
                    lock.lock()
                    received += 1
                    // The decoder is woken with a batch, or by `finished` after the last datagram.
                    if decoderWaits && received - decoded >= wakeBatch { lock.broadcast() }
                    lock.unlock()
                    if failed { return }
                }
            } catch {
                update { receiveFailure = Failure(dump: dump, error: error) }
                return
            }
        }
    }
}
