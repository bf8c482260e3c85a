#include "service/server/log.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace opinia::server {
namespace {

std::atomic<LogFormat> g_format{LogFormat::kText};

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo: return "INFO";
    case LogLevel::kWarning: return "WARNING";
    case LogLevel::kError: return "ERROR";
  }
  return "INFO";
}

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (c < 0x20) {
          absl::StrAppendFormat(out, "\\u%04x", c);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

}  // namespace

void SetLogFormat(LogFormat format) { g_format.store(format); }

bool ParseLogFormat(std::string_view name, LogFormat* format) {
  if (name == "text") {
    *format = LogFormat::kText;
  } else if (name == "json") {
    *format = LogFormat::kJson;
  } else {
    return false;
  }
  return true;
}

std::string JsonLogLine(std::string_view time, LogLevel level,
                        std::string_view msg, LogFields fields) {
  std::string line = "{\"time\":";
  AppendJsonString(&line, time);
  absl::StrAppend(&line, ",\"level\":\"", LevelName(level), "\",\"msg\":");
  AppendJsonString(&line, msg);
  for (const auto& [key, value] : fields) {
    line.push_back(',');
    AppendJsonString(&line, key);
    line.push_back(':');
    AppendJsonString(&line, value);
  }
  line.append("}\n");
  return line;
}

void Log(LogLevel level, std::string_view msg, LogFields fields) {
  std::string line;
  if (g_format.load() == LogFormat::kJson) {
    line = JsonLogLine(
        absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(), absl::UTCTimeZone()),
        level, msg, fields);
  } else {
    line = "opinia-server: ";
    if (level != LogLevel::kInfo) absl::StrAppend(&line, LevelName(level), ": ");
    line.append(msg);
    for (const auto& [key, value] : fields) {
      line.append(" ").append(key).append("=").append(value);
    }
    line.push_back('\n');
  }
  // One write(2) per line: lines of concurrent threads never interleave.
  std::fflush(stdout);
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = write(STDOUT_FILENO, line.data() + done, line.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
}

}  // namespace opinia::server
