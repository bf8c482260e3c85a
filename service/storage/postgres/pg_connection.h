// One libpq connection (RAII), its parameterised statements and results, and
// how PostgreSQL's errors become absl::Status codes.
//
// Values go to the server as parameters, never spliced into SQL text: text
// format for numbers and strings, binary for bytea (no escaping). Results
// come back in text format; a bytea column reads as its raw bytes. Text
// cannot hold a NUL character in PostgreSQL: a text parameter with one
// fails with INVALID_ARGUMENT before anything is sent.
//
// Errors (PgStatus): SQLSTATE 40001 (serialization failure) and 40P01
// (deadlock) -> ABORTED (Store::Write runs the function again); 23505
// (unique) -> ALREADY_EXISTS; 23503 (foreign key: the referenced row is
// missing) -> NOT_FOUND; 25006 (a write in a READ ONLY transaction) ->
// FAILED_PRECONDITION; 22021/22P05 (bytes that are not valid text, e.g. a
// NUL character) -> INVALID_ARGUMENT; class 08 (connection), 57P01/57P02/
// 57P03 (server shutting down, crashed, starting), 53300 (too many
// connections) and a lost connection -> UNAVAILABLE, and the connection is
// marked broken (the pool replaces it on its next use); anything else ->
// INTERNAL with the server's message.
//
// Not thread-safe: one thread uses a Connection at a time (the pool hands
// each out to one Read or Write).
#ifndef OPINIA_SERVICE_STORAGE_POSTGRES_PG_CONNECTION_H_
#define OPINIA_SERVICE_STORAGE_POSTGRES_PG_CONNECTION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace opinia::storage::pg {

// The Debian abseil build has its own string_view type; store.h uses std's.
inline absl::string_view AsAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

// The status of an error with this SQLSTATE and server message; `what`
// names the operation (e.g. the statement's first words).
absl::Status PgStatus(std::string_view sqlstate, std::string_view message,
                      std::string_view what);

// A float as PostgreSQL input text that reads back as the same float: 9
// significant digits; NaN and the infinities as PostgreSQL spells them.
std::string FloatText(float v);

// A statement's parameters, $1, $2, ... in the order added.
class Params {
 public:
  Params& Text(std::string_view v);
  Params& Int(int64_t v);
  Params& Bool(bool v);
  Params& Float(float v) { return Text(FloatText(v)); }
  Params& Time(absl::Time t);         // TimeToMicros (time_micros.h)
  Params& Bytes(std::string_view v);  // a bytea, sent in binary
  Params& Null();
  // Text, or NULL when `v` is empty (e.g. api_keys.tenant_id of an operator
  // key).
  Params& TextOrNull(std::string_view v);

  int size() const { return static_cast<int>(values_.size()); }

  // The values as SQL literals, comma-separated, in order ('text' quoted,
  // NULL, '\x<hex>' for bytes): the arguments of `EXECUTE name(...)`, for
  // tests that EXPLAIN a prepared statement's generic plan.
  std::string SqlLiterals() const;

 private:
  friend class Connection;
  // What libpq takes: a pointer (nullptr = NULL) and a length per value.
  struct Raw {
    std::vector<const char*> values;
    std::vector<int> lengths;
  };
  Raw ToRaw() const;

  std::vector<std::string> values_;
  std::vector<bool> null_;
  std::vector<int> formats_;  // 0 text, 1 binary
  bool has_nul_ = false;      // a Text value holds '\0': Exec refuses
};

// The rows of one statement (RAII over PGresult). Accessors take a row and a
// column index; reading a column of the wrong kind is a programming error
// (it reads as 0 / "").
class Result {
 public:
  Result() = default;
  explicit Result(PGresult* res);
  Result(Result&& other) noexcept;
  Result& operator=(Result&& other) noexcept;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  ~Result();

  int rows() const;
  // Rows an INSERT/UPDATE/DELETE changed (its command tag's count).
  int64_t affected() const;
  // The command tag, e.g. "COMMIT" (or "ROLLBACK" for a COMMIT of a failed
  // transaction).
  std::string_view tag() const;
  bool IsNull(int row, int col) const;
  std::string_view View(int row, int col) const;  // text bytes; NULL -> ""
  std::string String(int row, int col) const {
    return std::string(View(row, col));
  }
  int64_t Int(int row, int col) const;    // NULL -> 0
  double Double(int row, int col) const;  // NULL -> 0
  float Float(int row, int col) const;
  bool Bool(int row, int col) const;          // 't'
  absl::Time Time(int row, int col) const;    // MicrosToTime
  std::string Bytes(int row, int col) const;  // a bytea's raw bytes

 private:
  PGresult* res_ = nullptr;
};

class Connection {
 public:
  // Connects with a libpq connection URI or key=value string (password from
  // the URI, PGPASSWORD or ~/.pgpass; sslmode and every other libpq option
  // pass through). UNAVAILABLE when the server cannot be reached or refuses.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(
      const std::string& url);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement with parameters. The statement is prepared once per
  // connection and cached by its text, so hot statements are parsed and
  // planned once; build only a bounded set of texts (values go in params).
  absl::StatusOr<Result> Exec(std::string_view sql, const Params& params = {});
  // Runs one statement without preparing it (statements whose text varies
  // without bound, or runs once).
  absl::StatusOr<Result> ExecOnce(std::string_view sql,
                                  const Params& params = {});
  // Runs fixed SQL text without parameters; several statements allowed
  // (migrations, SET). Never pass values built from input.
  absl::Status ExecScript(const char* sql);

  // The connection was lost (or the server is going away): every further
  // call fails; the pool drops it.
  bool broken() const { return broken_; }
  // A statement failed inside the open transaction, so PostgreSQL has
  // aborted it: only ROLLBACK is possible.
  bool txn_failed() const;
  // No transaction is open (idle), per libpq.
  bool Idle() const;
  // The server's process id (pg_backend_pid()), for tests and logs.
  int BackendPid() const;

  // Waits up to `timeout` for NOTIFY messages on the channels this
  // connection LISTENs to and returns their payloads, in arrival order
  // (empty after a timeout). UNAVAILABLE (and broken) when the connection
  // was lost. Call it only outside a transaction.
  absl::StatusOr<std::vector<std::string>> WaitForNotifications(
      absl::Duration timeout);

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  // Checks a result: OK, or the mapped error (and marks a lost connection
  // broken).
  absl::StatusOr<Result> Check(PGresult* res, std::string_view sql);

  PGconn* conn_;
  bool broken_ = false;
  // Statement text -> prepared statement name.
  absl::flat_hash_map<std::string, std::string> prepared_;
};

}  // namespace opinia::storage::pg

#endif  // OPINIA_SERVICE_STORAGE_POSTGRES_PG_CONNECTION_H_
