#include "service/core/auth/key_watch.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "service/core/util/absl_sv.h"

namespace opinia::core {

class KeyWatch::Entry {
 public:
  Entry(Principal caller, Action action, Stream* stream)
      : caller_(std::move(caller)), action_(action), stream_(stream) {}

  const Principal& caller() const { return caller_; }
  Action action() const { return action_; }

  // Tells the stream once, unless detached. Holds mutex_ while telling it,
  // so that Detach (and the stream's end) waits for the call to return.
  void Revoke(const absl::Status& why) {
    absl::MutexLock lock(&mutex_);
    Stream* stream = std::exchange(stream_, nullptr);
    if (stream != nullptr) stream->Revoked(why);
  }
  void Detach() {
    absl::MutexLock lock(&mutex_);
    stream_ = nullptr;
  }

 private:
  const Principal caller_;
  const Action action_;
  absl::Mutex mutex_;
  Stream* stream_ ABSL_GUARDED_BY(mutex_);
};

KeyWatch::KeyWatch(const Authenticator* auth, Limits limits)
    : auth_(auth), limits_(limits) {}

KeyWatch::~KeyWatch() { Stop(); }

absl::StatusOr<KeyWatch::Ticket> KeyWatch::Add(const Principal& caller,
                                               Action action,
                                               Stream* stream) {
  absl::MutexLock lock(&mutex_);
  std::vector<Ticket>& of_key = by_key_[caller.key_id];
  if (limits_.streams_per_key > 0 &&
      static_cast<int>(of_key.size()) >= limits_.streams_per_key) {
    if (of_key.empty()) by_key_.erase(caller.key_id);
    return absl::ResourceExhaustedError(absl::StrCat(
        "this API key has ", limits_.streams_per_key,
        " streams open, its limit (--max-streams-per-key); end one first"));
  }
  int& of_tenant = per_tenant_[caller.tenant_id];
  if (limits_.streams_per_tenant > 0 &&
      of_tenant >= limits_.streams_per_tenant) {
    if (of_key.empty()) by_key_.erase(caller.key_id);
    if (of_tenant == 0) per_tenant_.erase(caller.tenant_id);
    return absl::ResourceExhaustedError(absl::StrCat(
        "this tenant has ", limits_.streams_per_tenant,
        " streams open, its limit (--max-streams-per-tenant); end one first"));
  }
  auto entry = std::make_shared<Entry>(caller, action, stream);
  of_key.push_back(entry);
  ++of_tenant;
  ++size_;
  return entry;
}

void KeyWatch::Remove(const Ticket& ticket) {
  if (ticket == nullptr) return;
  ticket->Detach();
  absl::MutexLock lock(&mutex_);
  const Principal& caller = ticket->caller();
  auto of_key = by_key_.find(caller.key_id);
  if (of_key == by_key_.end()) return;
  auto it = std::find(of_key->second.begin(), of_key->second.end(), ticket);
  if (it == of_key->second.end()) return;  // removed before
  of_key->second.erase(it);
  if (of_key->second.empty()) by_key_.erase(of_key);
  if (--per_tenant_[caller.tenant_id] == 0) per_tenant_.erase(caller.tenant_id);
  --size_;
}

void KeyWatch::Recheck(std::string_view key_id) {
  std::vector<Ticket> entries;
  {
    absl::MutexLock lock(&mutex_);
    auto it = by_key_.find(Av(key_id));
    if (it == by_key_.end()) return;
    entries = it->second;
  }
  const absl::StatusOr<Principal> now = auth_->Reauthenticate(key_id);
  if (!now.ok() && !absl::IsUnauthenticated(now.status())) return;
  for (const Ticket& entry : entries) {
    const absl::Status why =
        now.ok() ? Authorize(*now, entry->action()) : now.status();
    if (!why.ok()) entry->Revoke(why);
  }
}

void KeyWatch::RecheckAll() {
  std::vector<std::string> keys;
  {
    absl::MutexLock lock(&mutex_);
    keys.reserve(by_key_.size());
    for (const auto& [key_id, entries] : by_key_) keys.push_back(key_id);
  }
  for (const std::string& key_id : keys) Recheck(key_id);
}

void KeyWatch::Start(absl::Duration interval) {
  rechecks_.Start(interval, [this] { RecheckAll(); });
}

void KeyWatch::Stop() { rechecks_.Stop(); }

int KeyWatch::size() const {
  absl::MutexLock lock(&mutex_);
  return size_;
}

}  // namespace opinia::core
