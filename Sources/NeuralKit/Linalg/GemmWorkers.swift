import CNeuralSupport
import Dispatch
import Foundation

/// The helper threads of the matrix product: `DispatchQueue.concurrentPerform` with a short
/// hand-over.
///
/// A product of a dense layer with batch 128 takes about 0.1 ms per core. Handing half of it
/// to a thread that has gone to sleep costs 40 to 80 µs before that thread starts (measured on a
/// 2-core virtual machine: an idle virtual CPU has to be woken up), which throws away most of the
/// second core. So the helpers keep polling for the next job for a short while after finishing
/// one — `pollingNanoseconds`, 0.2 ms: enough for back-to-back products such as the three of a
/// dense layer's backward pass — and then sleep on a condition variable, so a process that has
/// stopped multiplying does not keep a core busy. A job published while they poll starts within
/// a microsecond; one published while they sleep starts late, and the caller, which claims parts
/// too, simply does more of them itself.
///
/// `perform(parts:_:)` behaves like `concurrentPerform(iterations:execute:)`: the caller runs parts
/// too, every part runs exactly once, and it returns when all have finished. Parts are claimed
/// one at a time, so a helper that wakes up late simply gets fewer of them. If another thread is
/// already using the helpers, the call falls back to `concurrentPerform`.
final class GemmWorkers: @unchecked Sendable {
    /// One helper per core besides the caller's, started on first use.
    static let shared = GemmWorkers(helpers: Gemm.processorCount - 1)

    /// How long an idle helper keeps polling before it sleeps.
    static let pollingNanoseconds: UInt64 = 200_000

    /// Guards every field below.
    private let condition = NSCondition()
    /// Incremented for each published job; a helper works when it sees a new value.
    private var generation = 0
    private var job: (@Sendable (Int) -> Void)?
    private var parts = 0
    private var nextPart = 0
    private var unfinishedParts = 0
    /// Held by the one caller using the helpers.
    private let caller = NSLock()
    /// A copy of `generation` that polling helpers read without taking the lock (an atomic
    /// load): a lock per poll kept the caller's lock's cache line bouncing between the cores and
    /// was a fifth of the helper's time.
    private let publishedGeneration: UnsafeMutablePointer<CLong> = {
        let cell = UnsafeMutablePointer<CLong>.allocate(capacity: 1)
        cell.initialize(to: 0)
        return cell
    }()

    init(helpers: Int) {
        for index in 0..<max(0, helpers) {
            let thread = Thread { [self] in helperLoop() }
            thread.name = "NeuralKit GEMM helper \(index + 1)"
            thread.start()
        }
    }

    /// Runs `body(0..<parts)` on the calling thread and the helpers; returns when all have run.
    func perform(parts count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        guard count > 1, caller.try() else {
            // Busy with another caller's product (or nothing to share): let Dispatch do it.
            DispatchQueue.concurrentPerform(iterations: count, execute: body)
            return
        }
        defer { caller.unlock() }
        condition.lock()
        job = body
        parts = count
        nextPart = 0
        unfinishedParts = count
        generation += 1
        cns_atomic_store(publishedGeneration, CLong(generation))
        condition.broadcast()
        condition.unlock()

        runParts()
        var waits = 0
        // Wait for the parts the helpers are still running: microseconds to milliseconds,
        // too short to be worth sleeping for.
        while true {
            condition.lock()
            let finished = unfinishedParts == 0
            if finished { job = nil }
            condition.unlock()
            if finished { return }
            waits += 1
            yieldProcessor(after: waits)
        }
    }

    /// Claims and runs parts of the current job until none is left.
    private func runParts() {
        while true {
            condition.lock()
            guard nextPart < parts, let job else {
                condition.unlock()
                return
            }
            let part = nextPart
            nextPart += 1
            condition.unlock()

            job(part)

            condition.lock()
            unfinishedParts -= 1
            condition.unlock()
        }
    }

    private func helperLoop() {
        var seenGeneration = 0
        while true {
            // Poll the published generation without the lock for `pollingNanoseconds`, reading the
            // clock every 16th poll only; then sleep on the condition until the next job.
            let idleSince = DispatchTime.now().uptimeNanoseconds
            var polls = 0
            while cns_atomic_load(publishedGeneration) == CLong(seenGeneration) {
                polls += 1
                if polls % 16 == 0 && DispatchTime.now().uptimeNanoseconds - idleSince >= Self.pollingNanoseconds { break }
                yieldProcessor(after: polls)
            }
            condition.lock()
            while generation == seenGeneration { condition.wait() }
            seenGeneration = generation
            condition.unlock()
            runParts()
        }
    }

    /// One pause of a busy wait. The first waits use the CPU's pause hint (no system call: a
    /// `sched_yield` per poll cost 10 % of an MNIST epoch in the kernel); every 64th wait lets
    /// another runnable thread have this core, for machines with more busy threads than cores.
    private func yieldProcessor(after waits: Int) {
        if waits % 64 == 0 { sched_yield() } else { cns_cpu_relax() }
    }
}
