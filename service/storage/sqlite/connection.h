// A single SQLite connection with a per-connection prepared-statement cache,
// and the RAII Statement handle that binds parameters and reads columns.
//
// Not thread-safe: a Connection (and its Statements) is used by one thread at
// a time; SqliteStore hands connections out under a mutex or from a pool.
#ifndef OPINIA_SERVICE_STORAGE_SQLITE_CONNECTION_H_
#define OPINIA_SERVICE_STORAGE_SQLITE_CONNECTION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "service/storage/sqlite/deferred_writes.h"

struct sqlite3;
struct sqlite3_stmt;

namespace opinia::storage::sqlite {

// Times are int64 microseconds since the Unix epoch; InfinitePast and
// InfiniteFuture map to INT64_MIN and INT64_MAX so ordering is preserved.
// Sub-microsecond precision is truncated (floor).
int64_t EncodeTime(absl::Time t);
absl::Time DecodeTime(int64_t micros);

// "[1,2,3]": a list of ids bound as one parameter, for
// "id NOT IN (SELECT value FROM json_each(?))".
std::string JsonIdArray(const std::vector<int64_t>& ids);

// The Debian abseil build has its own string_view type; store.h uses std's.
inline absl::string_view AsAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

// Maps a SQLite result code to a status: constraint UNIQUE/PRIMARY KEY ->
// ALREADY_EXISTS, FOREIGN KEY -> NOT_FOUND (the referenced row is missing),
// READONLY -> FAILED_PRECONDITION, a snapshot conflict (BUSY_SNAPSHOT,
// LOCKED_SHAREDCACHE) -> ABORTED (Store::Write runs the function again),
// other BUSY/LOCKED (another process kept the lock past the busy timeout)
// -> UNAVAILABLE, else INTERNAL.
absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what);

// A prepared statement checked out of a Connection's cache. Parameters are
// bound in order (1, 2, ...) by the Bind* calls. On destruction the statement
// is reset and returned to the cache (or finalized when uncached).
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  Statement& BindInt64(int64_t v);
  Statement& BindDouble(double v);
  Statement& BindText(std::string_view v);
  Statement& BindBlob(std::string_view v);
  Statement& BindTime(absl::Time t) { return BindInt64(EncodeTime(t)); }
  Statement& BindNull();

  // true: a row is available; false: done. Errors map via SqliteError.
  absl::StatusOr<bool> Step();
  // Steps a statement that returns no rows to completion.
  absl::Status Run();

  int64_t ColumnInt64(int i) const;
  double ColumnDouble(int i) const;
  std::string ColumnString(int i) const;  // TEXT or BLOB bytes; NULL -> ""
  absl::Time ColumnTime(int i) const { return DecodeTime(ColumnInt64(i)); }
  bool ColumnIsNull(int i) const;

 private:
  friend class Connection;
  // owner == nullptr: uncached, finalized on destruction.
  Statement(sqlite3_stmt* stmt, class Connection* owner);

  sqlite3_stmt* stmt_;
  class Connection* owner_;
  int next_param_ = 1;
  int bind_rc_ = 0;  // first bind error, reported by Step()
};

// Steps `stmt` to the end, calling add(stmt, out) on every row.
template <typename T, typename Add>
absl::StatusOr<std::vector<T>> CollectRows(Statement& stmt, Add add) {
  std::vector<T> out;
  while (true) {
    absl::StatusOr<bool> row = stmt.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    add(static_cast<const Statement&>(stmt), out);
  }
  return out;
}

// Steps `stmt` to the end; read(stmt) of every row.
template <typename Read, typename T = std::decay_t<
                             std::invoke_result_t<Read, const Statement&>>>
absl::StatusOr<std::vector<T>> ReadAllRows(Statement& stmt, Read read) {
  return CollectRows<T>(stmt, [&read](const Statement& s, std::vector<T>& out) {
    out.push_back(read(s));
  });
}

class Connection {
 public:
  // flags: SQLITE_OPEN_* (NOMUTEX is added). Sets the busy timeout.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(
      const std::string& path, int flags, absl::Duration busy_timeout);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A reset statement for `sql`, prepared once and cached (up to a bound;
  // beyond it statements are prepared per call). INTERNAL on a bad statement.
  absl::StatusOr<Statement> Prepare(absl::string_view sql);
  // Runs fixed SQL text without parameters (pragmas, migrations; several
  // statements allowed). Never pass values built from input.
  absl::Status Exec(const char* sql);
  // Runs one fixed statement through the statement cache, so it is parsed
  // once: transaction control on the hot paths (BEGIN, SAVEPOINT, RELEASE,
  // COMMIT run several times per call). Errors name `sql`.
  absl::Status Run(const char* sql);
  // The value of a pragma that answers one row, e.g. "journal_mode".
  absl::StatusOr<std::string> PragmaValue(const char* pragma);

  // PRAGMA user_version (the schema version, migrations.h), read once and
  // cached; migrations on this connection update the cache.
  absl::StatusOr<int64_t> UserVersion();
  void SetUserVersionCache(int64_t version) { user_version_ = version; }

  // Rows changed by the last INSERT/UPDATE/DELETE.
  int64_t Changes() const;
  int64_t LastInsertRowId() const;
  // true when no transaction is open (e.g. the database rolled one back).
  bool InAutocommit() const;
  sqlite3* db() const { return db_; }

  // Applies the deferred index writes (deferred_writes.h), then COMMITs.
  // On error the transaction is still open: the caller rolls it back.
  absl::Status Commit();
  // What the open transaction's triggers have deferred. A COMMIT while it
  // is not empty fails (SQLITE_CONSTRAINT_COMMITHOOK); a ROLLBACK clears
  // it; ROLLBACK TO a savepoint does not: use its Mark.
  DeferredWrites& deferred() { return deferred_; }

 private:
  friend class Statement;
  explicit Connection(sqlite3* db) : db_(db) {}
  void Release(sqlite3_stmt* stmt);

  sqlite3* db_;
  DeferredWrites deferred_;
  int64_t user_version_ = -1;  // -1: not read yet
  absl::flat_hash_map<std::string, sqlite3_stmt*> cache_;
  // Cached statements currently checked out; a second concurrent use of the
  // same SQL (e.g. nested) gets its own uncached statement.
  absl::flat_hash_set<sqlite3_stmt*> in_use_;
};

// What SqliteTxn and each of its parts (SqliteAlerts, SqliteWebhooks,
// SqliteCollectors) work on: the transaction's connection, and whether the
// transaction is read-only.
class TxnPart {
 public:
  TxnPart(Connection& conn, bool read_only)
      : conn_(conn), read_only_(read_only) {}

 protected:
  // OK, or FAILED_PRECONDITION "<op> inside a read-only transaction".
  absl::Status CheckWritable(const char* op) const;

  Connection& conn_;

 private:
  const bool read_only_;
};

// How many rows of `table` (a constant of ours, never input) belong to
// `tenant_id`.
absl::StatusOr<int64_t> CountTenantRows(Connection& conn,
                                        absl::string_view table,
                                        std::string_view tenant_id);

}  // namespace opinia::storage::sqlite

#endif  // OPINIA_SERVICE_STORAGE_SQLITE_CONNECTION_H_
