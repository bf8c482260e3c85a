// The server's log: one line per event on stdout, as text
// ("opinia-server: msg k=v ...") or, with --log-format=json, as one JSON
// object per line: {"time":"...","level":"INFO","msg":"...","k":"v"}.
// Thread-safe (one write per line).
#ifndef OPINIA_SERVICE_SERVER_LOG_H_
#define OPINIA_SERVICE_SERVER_LOG_H_

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace opinia::server {

enum class LogFormat { kText, kJson };
enum class LogLevel { kInfo, kWarning, kError };

// Applies to every later line; the default is kText.
void SetLogFormat(LogFormat format);
// "text" or "json"; false for anything else.
bool ParseLogFormat(std::string_view name, LogFormat* format);

using LogFields = std::initializer_list<std::pair<std::string_view, std::string>>;

void Log(LogLevel level, std::string_view msg, LogFields fields = {});
inline void LogInfo(std::string_view msg, LogFields fields = {}) {
  Log(LogLevel::kInfo, msg, fields);
}
inline void LogWarning(std::string_view msg, LogFields fields = {}) {
  Log(LogLevel::kWarning, msg, fields);
}
inline void LogError(std::string_view msg, LogFields fields = {}) {
  Log(LogLevel::kError, msg, fields);
}

// The JSON form of one line (exposed for tests).
std::string JsonLogLine(std::string_view time, LogLevel level,
                        std::string_view msg, LogFields fields);

}  // namespace opinia::server

#endif  // OPINIA_SERVICE_SERVER_LOG_H_
