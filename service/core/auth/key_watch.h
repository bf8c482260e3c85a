// The open streams and the keys that opened them.
//
// A stream (StreamAlerts, StreamIngestReviews) is authenticated once, when
// it opens, and may then live for hours. KeyWatch ends it when its key stops
// admitting it: the key revoked or deleted, or its tenant deleted
// (UNAUTHENTICATED), or a role the stream needs removed (PERMISSION_DENIED).
// It learns of a change two ways: Recheck(key_id), called right after a
// change made in this process (RevokeApiKey), ends the key's streams before
// that call answers; and a thread re-reads every watched key from the store
// every `interval`, for changes made elsewhere (another replica on the same
// database, an operator's tool).
//
// It also holds the limits on concurrent streams per key and per tenant.
// They count the streams of this process only: with several replicas each
// admits its own.
#ifndef OPINIA_SERVICE_CORE_AUTH_KEY_WATCH_H_
#define OPINIA_SERVICE_CORE_AUTH_KEY_WATCH_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/core/auth/auth.h"
#include "service/core/auth/authorization.h"
#include "service/core/util/periodic_thread.h"

namespace opinia::core {

// Thread-safe; `auth` must outlive it.
class KeyWatch {
 public:
  struct Limits {
    int streams_per_key = 0;     // open streams of one key; <= 0: no limit
    int streams_per_tenant = 0;  // of all keys of one tenant; <= 0: none
  };

  // Implemented by a stream.
  class Stream {
   public:
    // The stream's key no longer admits it; `why` is UNAUTHENTICATED or
    // PERMISSION_DENIED, with the reason. Called at most once, never after
    // Remove has returned, from the thread of Recheck or of the watch; it
    // must not block (finishing the call is fine) nor call into KeyWatch.
    virtual void Revoked(const absl::Status& why) = 0;

   protected:
    ~Stream() = default;
  };

  class Entry;
  // A watched stream; give it back to Remove when the stream ends.
  using Ticket = std::shared_ptr<Entry>;

  KeyWatch(const Authenticator* auth, Limits limits);
  ~KeyWatch();  // Stop()
  KeyWatch(const KeyWatch&) = delete;
  KeyWatch& operator=(const KeyWatch&) = delete;

  // Watches `stream`, opened by `caller` for `action` (whose rule in
  // authorization.h must go on admitting the key). RESOURCE_EXHAUSTED
  // naming the limit when the key or its tenant has the most streams open.
  absl::StatusOr<Ticket> Add(const Principal& caller, Action action,
                             Stream* stream);
  // Stops watching; once it returns, Revoked is never called. Idempotent.
  void Remove(const Ticket& ticket);

  // Re-reads key `key_id` now and ends those of its streams it no longer
  // admits, before returning. A storage error ends nothing (the next pass
  // tries again).
  void Recheck(std::string_view key_id);

  // Re-reads every watched key every `interval` on a thread, until Stop().
  void Start(absl::Duration interval);
  // Idempotent; returns once the thread has ended.
  void Stop();

  // Streams watched now.
  int size() const;

 private:
  void RecheckAll();

  const Authenticator* const auth_;
  const Limits limits_;
  mutable absl::Mutex mutex_;
  absl::flat_hash_map<std::string, std::vector<Ticket>> by_key_
      ABSL_GUARDED_BY(mutex_);
  absl::flat_hash_map<std::string, int> per_tenant_ ABSL_GUARDED_BY(mutex_);
  int size_ ABSL_GUARDED_BY(mutex_) = 0;
  PeriodicThread rechecks_;
};

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_AUTH_KEY_WATCH_H_
