#include "service/storage/sqlite/connection.h"

#include <sqlite3.h>

#include <limits>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/storage/sqlite/functions.h"
#include "service/storage/time_micros.h"
#include "util/status_macros.h"

namespace opinia::storage::sqlite {
namespace {

// Enough for every fixed statement plus the common ListReviews shapes; the
// bound keeps unusual filter shapes from growing the cache without limit.
constexpr size_t kMaxCachedStatements = 256;

}  // namespace

int64_t EncodeTime(absl::Time t) { return TimeToMicros(t); }

absl::Time DecodeTime(int64_t micros) { return MicrosToTime(micros); }

absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what) {
  const std::string msg = absl::StrCat(
      what, ": ", db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE ||
          rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return absl::AlreadyExistsError(msg);
      }
      if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) return absl::NotFoundError(msg);
      return absl::InternalError(msg);
    case SQLITE_READONLY:
      return absl::FailedPreconditionError(msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      if (rc == SQLITE_BUSY_SNAPSHOT || rc == SQLITE_LOCKED_SHAREDCACHE) {
        return absl::AbortedError(msg);
      }
      return absl::UnavailableError(msg);
    default:
      return absl::InternalError(msg);
  }
}

Statement::Statement(sqlite3_stmt* stmt, Connection* owner)
    : stmt_(stmt), owner_(owner) {}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      owner_(other.owner_),
      next_param_(other.next_param_),
      bind_rc_(other.bind_rc_) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  if (owner_ == nullptr) {
    sqlite3_finalize(stmt_);
  } else {
    owner_->Release(stmt_);
  }
}

static int KeepFirstError(int current, int rc) {
  return current != SQLITE_OK ? current : rc;
}

Statement& Statement::BindInt64(int64_t v) {
  bind_rc_ =
      KeepFirstError(bind_rc_, sqlite3_bind_int64(stmt_, next_param_++, v));
  return *this;
}

Statement& Statement::BindDouble(double v) {
  bind_rc_ =
      KeepFirstError(bind_rc_, sqlite3_bind_double(stmt_, next_param_++, v));
  return *this;
}

Statement& Statement::BindText(std::string_view v) {
  bind_rc_ = KeepFirstError(
      bind_rc_, sqlite3_bind_text64(stmt_, next_param_++, v.data(), v.size(),
                                    SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::BindBlob(std::string_view v) {
  // A zero-length blob must still be a BLOB, not NULL: pass a non-null pointer.
  static const char kEmpty = 0;
  bind_rc_ = KeepFirstError(
      bind_rc_,
      sqlite3_bind_blob64(stmt_, next_param_++, v.empty() ? &kEmpty : v.data(),
                          v.size(), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::BindNull() {
  bind_rc_ = KeepFirstError(bind_rc_, sqlite3_bind_null(stmt_, next_param_++));
  return *this;
}

absl::StatusOr<bool> Statement::Step() {
  sqlite3* db = sqlite3_db_handle(stmt_);
  if (bind_rc_ != SQLITE_OK) return SqliteError(db, bind_rc_, "bind");
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db, sqlite3_extended_errcode(db), "step");
}

absl::Status Statement::Run() {
  ASSIGN_OR_RETURN(bool row, Step());
  while (row) {
    ASSIGN_OR_RETURN(row, Step());
  }
  return absl::OkStatus();
}

int64_t Statement::ColumnInt64(int i) const {
  return sqlite3_column_int64(stmt_, i);
}

double Statement::ColumnDouble(int i) const {
  return sqlite3_column_double(stmt_, i);
}

std::string Statement::ColumnString(int i) const {
  // Read the bytes as stored: sqlite3_column_blob never converts encodings.
  const void* data = sqlite3_column_blob(stmt_, i);
  const int size = sqlite3_column_bytes(stmt_, i);
  if (data == nullptr || size == 0) return std::string();
  return std::string(static_cast<const char*>(data), size);
}

bool Statement::ColumnIsNull(int i) const {
  return sqlite3_column_type(stmt_, i) == SQLITE_NULL;
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(
    const std::string& path, int flags, absl::Duration busy_timeout) {
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status = SqliteError(db, rc, absl::StrCat("open ", path));
    sqlite3_close_v2(db);
    return status;
  }
  sqlite3_extended_result_codes(db, 1);
  // The schema's triggers and review writes call these (functions.h).
  if (absl::Status s = RegisterFunctions(db); !s.ok()) {
    sqlite3_close_v2(db);
    return s;
  }
  sqlite3_busy_timeout(
      db, static_cast<int>(absl::ToInt64Milliseconds(busy_timeout)));
  std::unique_ptr<Connection> conn(new Connection(db));
  RETURN_IF_ERROR(conn->deferred_.Register(db));
  // A transaction must not commit with index writes still deferred (they
  // would be lost): non-zero turns the COMMIT into a rollback.
  sqlite3_commit_hook(
      db,
      +[](void* self) -> int {
        return static_cast<Connection*>(self)->deferred_.empty() ? 0 : 1;
      },
      conn.get());
  sqlite3_rollback_hook(
      db, +[](void* self) { static_cast<Connection*>(self)->deferred_.Clear(); },
      conn.get());
  return conn;
}

absl::Status Connection::Commit() {
  RETURN_IF_ERROR(deferred_.Flush(*this));
  return Run("COMMIT");
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

absl::StatusOr<Statement> Connection::Prepare(absl::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end() && !in_use_.contains(it->second)) {
    in_use_.insert(it->second);
    return Statement(it->second, this);
  }
  const bool cache = it == cache_.end() && cache_.size() < kMaxCachedStatements;
  sqlite3_stmt* stmt = nullptr;
  const int rc =
      sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                         cache ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return SqliteError(db_, rc, absl::StrCat("prepare ", sql));
  }
  if (!cache) return Statement(stmt, nullptr);
  cache_.emplace(std::string(sql), stmt);
  in_use_.insert(stmt);
  return Statement(stmt, this);
}

void Connection::Release(sqlite3_stmt* stmt) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  in_use_.erase(stmt);
}

absl::Status Connection::Exec(const char* sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) {
    return SqliteError(db_, sqlite3_extended_errcode(db_), sql);
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> Connection::UserVersion() {
  if (user_version_ >= 0) return user_version_;
  ASSIGN_OR_RETURN(std::string v, PragmaValue("user_version"));
  int64_t version = 0;
  if (!absl::SimpleAtoi(v, &version) || version < 0) {
    return absl::InternalError(absl::StrCat("user_version: ", v));
  }
  user_version_ = version;
  return version;
}

absl::Status Connection::Run(const char* sql) {
  absl::StatusOr<Statement> stmt = Prepare(sql);
  absl::Status status = stmt.ok() ? stmt->Run() : stmt.status();
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(sql, ": ", status.message()));
}

absl::StatusOr<std::string> Connection::PragmaValue(const char* pragma) {
  ASSIGN_OR_RETURN(Statement stmt, Prepare(absl::StrCat("PRAGMA ", pragma)));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) {
    return absl::InternalError(absl::StrCat("PRAGMA ", pragma, ": no row"));
  }
  return stmt.ColumnString(0);
}

int64_t Connection::Changes() const { return sqlite3_changes64(db_); }

int64_t Connection::LastInsertRowId() const {
  return sqlite3_last_insert_rowid(db_);
}

bool Connection::InAutocommit() const {
  return sqlite3_get_autocommit(db_) != 0;
}

absl::StatusOr<int64_t> CountTenantRows(Connection& conn,
                                        absl::string_view table,
                                        std::string_view tenant_id) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare(absl::StrCat("SELECT COUNT(*) FROM ", table,
                                             " WHERE tenant_id = ?")));
  stmt.BindText(tenant_id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::InternalError("COUNT(*) returned no row");
  return stmt.ColumnInt64(0);
}

absl::Status TxnPart::CheckWritable(const char* op) const {
  if (read_only_) {
    return absl::FailedPreconditionError(
        absl::StrCat(op, " inside a read-only transaction"));
  }
  return absl::OkStatus();
}

std::string JsonIdArray(const std::vector<int64_t>& ids) {
  std::string out = "[";
  for (size_t i = 0; i < ids.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "" : ",", ids[i]);
  }
  out += "]";
  return out;
}

}  // namespace opinia::storage::sqlite
