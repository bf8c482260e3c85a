// ThreadSanitizer builds only (OPINIA_SANITIZE=tsan): tells TSan about the
// happens-before edges of abseil's synchronisation primitives.
//
// Why: Debian's libabsl_synchronization.so is not compiled with
// -fsanitize=thread, so TSan cannot see that absl::Mutex::Lock/Unlock (an
// uninstrumented atomic CAS plus futex syscalls) order memory accesses. Every
// field of ours guarded by an absl::Mutex would be reported as a data race,
// burying the real ones. Suppressing those reports would hide our own code,
// so instead this library interposes the out-of-line entry points (it is
// linked into every TSan executable ahead of libabsl, so the dynamic linker
// binds our code's *and* gRPC's calls here), annotates them with
// __tsan_acquire/__tsan_release on the primitive's address, and forwards to
// the real implementation found with dlsym(RTLD_NEXT).
//
// Semantics kept deliberately simple: a lock (exclusive or shared) acquires,
// an unlock releases; waits release before blocking and acquire after.
// Reader unlocks release too, which only adds (harmless) reader->reader edges.
// A Condition evaluated by the unlocking thread on behalf of a waiter runs
// inside libabsl frames after that thread's release; reports from there are
// suppressed in tsan.supp (race:libabsl_synchronization).
#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>

#include "absl/base/config.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

// The mangled names below are those of Debian 12's abseil (inline namespace
// debian3); another abseil needs them updated (nm -D libabsl_synchronization).
#if ABSL_LTS_RELEASE_VERSION != 20220623
#error "tsan_absl_sync.cc: update the mangled names for this abseil version"
#endif
#define OPINIA_ABSL_NS "_ZN4absl7debian3"
#define OPINIA_ABSL_NSK "_ZNK4absl7debian3"

extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);

namespace {

// The real abseil function `mangled`; aborts (loudly) when it is missing, as
// a silently unannotated mutex would flood the run with false reports.
void* Real(const char* mangled) {
  void* fn = dlsym(RTLD_NEXT, mangled);
  if (fn == nullptr) {
    std::fprintf(stderr, "tsan_absl_sync: %s not found: %s\n", mangled,
                 dlerror());
    std::abort();
  }
  return fn;
}

void Acquire(const void* addr) { __tsan_acquire(const_cast<void*>(addr)); }
void Release(const void* addr) { __tsan_release(const_cast<void*>(addr)); }

}  // namespace

// Each function looks its original up once (function-local static: the
// first call may come from any thread, C++ guarantees one initialisation).
#define OPINIA_REAL(type, name) \
  static const auto real = reinterpret_cast<type>(Real(name))

namespace absl {
ABSL_NAMESPACE_BEGIN

void Mutex::Lock() {
  OPINIA_REAL(void (*)(Mutex*), OPINIA_ABSL_NS "5Mutex4LockEv");
  real(this);
  Acquire(this);
}

bool Mutex::TryLock() {
  OPINIA_REAL(bool (*)(Mutex*), OPINIA_ABSL_NS "5Mutex7TryLockEv");
  const bool locked = real(this);
  if (locked) Acquire(this);
  return locked;
}

void Mutex::Unlock() {
  OPINIA_REAL(void (*)(Mutex*), OPINIA_ABSL_NS "5Mutex6UnlockEv");
  Release(this);
  real(this);
}

void Mutex::ReaderLock() {
  OPINIA_REAL(void (*)(Mutex*), OPINIA_ABSL_NS "5Mutex10ReaderLockEv");
  real(this);
  Acquire(this);
}

bool Mutex::ReaderTryLock() {
  OPINIA_REAL(bool (*)(Mutex*), OPINIA_ABSL_NS "5Mutex13ReaderTryLockEv");
  const bool locked = real(this);
  if (locked) Acquire(this);
  return locked;
}

void Mutex::ReaderUnlock() {
  OPINIA_REAL(void (*)(Mutex*), OPINIA_ABSL_NS "5Mutex12ReaderUnlockEv");
  Release(this);
  real(this);
}

void Mutex::LockWhen(const Condition& cond) {
  OPINIA_REAL(void (*)(Mutex*, const Condition&),
              OPINIA_ABSL_NS "5Mutex8LockWhenERKNS0_9ConditionE");
  real(this, cond);
  Acquire(this);
}

void Mutex::ReaderLockWhen(const Condition& cond) {
  OPINIA_REAL(void (*)(Mutex*, const Condition&),
              OPINIA_ABSL_NS "5Mutex14ReaderLockWhenERKNS0_9ConditionE");
  real(this, cond);
  Acquire(this);
}

// The *WithTimeout/*WithDeadline lock variants hold the mutex on return
// whatever they return.
bool Mutex::LockWhenWithTimeout(const Condition& cond, Duration timeout) {
  OPINIA_REAL(bool (*)(Mutex*, const Condition&, Duration),
              OPINIA_ABSL_NS
              "5Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  const bool met = real(this, cond, timeout);
  Acquire(this);
  return met;
}

bool Mutex::LockWhenWithDeadline(const Condition& cond, Time deadline) {
  OPINIA_REAL(bool (*)(Mutex*, const Condition&, Time),
              OPINIA_ABSL_NS
              "5Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  const bool met = real(this, cond, deadline);
  Acquire(this);
  return met;
}

bool Mutex::ReaderLockWhenWithTimeout(const Condition& cond,
                                      Duration timeout) {
  OPINIA_REAL(
      bool (*)(Mutex*, const Condition&, Duration),
      OPINIA_ABSL_NS
      "5Mutex25ReaderLockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  const bool met = real(this, cond, timeout);
  Acquire(this);
  return met;
}

bool Mutex::ReaderLockWhenWithDeadline(const Condition& cond, Time deadline) {
  OPINIA_REAL(
      bool (*)(Mutex*, const Condition&, Time),
      OPINIA_ABSL_NS
      "5Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  const bool met = real(this, cond, deadline);
  Acquire(this);
  return met;
}

// Await* temporarily release the held mutex and hold it again on return.
void Mutex::Await(const Condition& cond) {
  OPINIA_REAL(void (*)(Mutex*, const Condition&),
              OPINIA_ABSL_NS "5Mutex5AwaitERKNS0_9ConditionE");
  Release(this);
  real(this, cond);
  Acquire(this);
}

bool Mutex::AwaitWithTimeout(const Condition& cond, Duration timeout) {
  OPINIA_REAL(bool (*)(Mutex*, const Condition&, Duration),
              OPINIA_ABSL_NS
              "5Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  Release(this);
  const bool met = real(this, cond, timeout);
  Acquire(this);
  return met;
}

bool Mutex::AwaitWithDeadline(const Condition& cond, Time deadline) {
  OPINIA_REAL(bool (*)(Mutex*, const Condition&, Time),
              OPINIA_ABSL_NS
              "5Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  Release(this);
  const bool met = real(this, cond, deadline);
  Acquire(this);
  return met;
}

// CondVar waits release `mu` while blocked and hold it again on return.
void CondVar::Wait(Mutex* mu) {
  OPINIA_REAL(void (*)(CondVar*, Mutex*),
              OPINIA_ABSL_NS "7CondVar4WaitEPNS0_5MutexE");
  Release(mu);
  real(this, mu);
  Acquire(mu);
}

bool CondVar::WaitWithTimeout(Mutex* mu, Duration timeout) {
  OPINIA_REAL(bool (*)(CondVar*, Mutex*, Duration),
              OPINIA_ABSL_NS "7CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE");
  Release(mu);
  const bool timed_out = real(this, mu, timeout);
  Acquire(mu);
  return timed_out;
}

bool CondVar::WaitWithDeadline(Mutex* mu, Time deadline) {
  OPINIA_REAL(bool (*)(CondVar*, Mutex*, Time),
              OPINIA_ABSL_NS "7CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE");
  Release(mu);
  const bool timed_out = real(this, mu, deadline);
  Acquire(mu);
  return timed_out;
}

// Notify happens-before every wait that returns notified.
void Notification::Notify() {
  OPINIA_REAL(void (*)(Notification*), OPINIA_ABSL_NS "12Notification6NotifyEv");
  Release(this);
  real(this);
}

void Notification::WaitForNotification() const {
  OPINIA_REAL(void (*)(const Notification*),
              OPINIA_ABSL_NSK "12Notification19WaitForNotificationEv");
  real(this);
  Acquire(this);
}

bool Notification::WaitForNotificationWithTimeout(Duration timeout) const {
  OPINIA_REAL(bool (*)(const Notification*, Duration),
              OPINIA_ABSL_NSK
              "12Notification30WaitForNotificationWithTimeoutENS0_8DurationE");
  const bool notified = real(this, timeout);
  if (notified) Acquire(this);
  return notified;
}

bool Notification::WaitForNotificationWithDeadline(Time deadline) const {
  OPINIA_REAL(bool (*)(const Notification*, Time),
              OPINIA_ABSL_NSK
              "12Notification31WaitForNotificationWithDeadlineENS0_4TimeE");
  const bool notified = real(this, deadline);
  if (notified) Acquire(this);
  return notified;
}

ABSL_NAMESPACE_END
}  // namespace absl
