import CNeuralSupport
import Foundation
import Testing

/// The allocator settings of allocator.c: a training step's large buffers are reused from the heap
/// instead of being returned to the kernel and faulted in again every batch.
@Suite struct AllocatorTests {
    @Test("glibc's allocator keeps freed training buffers (unless COURSE_DEFAULT_MALLOC=1)")
    func allocatorIsTuned() {
        #if os(Linux) && canImport(Glibc)
        let optedOut = ProcessInfo.processInfo.environment["COURSE_DEFAULT_MALLOC"] == "1"
        #expect(cns_allocator_is_tuned() == (optedOut ? 0 : 1))
        #else
        #expect(cns_allocator_is_tuned() == 0)
        #endif
    }
}
