// Happens-before edges that gRPC guarantees but ThreadSanitizer cannot see.
//
// gRPC runs a reactor's callbacks in order: the OnReadDone of a read runs
// after the StartRead that asked for it, often on another of gRPC's
// threads. That ordering lives inside Debian's libgrpc, which is not built
// with TSan, so a TSan build reports the reactor's own fields, written in
// one OnReadDone and read in the next, as a race. These annotations state
// the edge instead of suppressing our code. Outside TSan builds (CMake
// defines OPINIA_TSAN) they compile to nothing.
#ifndef OPINIA_SERVICE_RPC_TSAN_ANNOTATIONS_H_
#define OPINIA_SERVICE_RPC_TSAN_ANNOTATIONS_H_

#if defined(OPINIA_TSAN)
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
// Everything before this (on this thread) happens before whatever follows
// an OPINIA_HAPPENS_AFTER on the same address.
#define OPINIA_HAPPENS_BEFORE(addr) __tsan_release(static_cast<void*>(addr))
#define OPINIA_HAPPENS_AFTER(addr) __tsan_acquire(static_cast<void*>(addr))
#else
#define OPINIA_HAPPENS_BEFORE(addr) static_cast<void>(addr)
#define OPINIA_HAPPENS_AFTER(addr) static_cast<void>(addr)
#endif

#endif  // OPINIA_SERVICE_RPC_TSAN_ANNOTATIONS_H_
