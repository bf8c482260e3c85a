#include "service/cli/table.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/numbers.h"

namespace opinia::cli {
namespace {

constexpr char kEllipsis[] = "\xE2\x80\xA6";     // U+2026
constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

// Decodes one UTF-8 character at `s[i]`; returns its length in bytes (0 when
// the bytes there are not valid UTF-8) and stores the code point.
size_t DecodeUtf8(absl::string_view s, size_t i, char32_t* cp) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t b0 = byte(i);
  size_t len;
  char32_t value;
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    value = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    value = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    value = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    value = (value << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (value < kMin[len] || value > 0x10FFFF ||
      (value >= 0xD800 && value <= 0xDFFF)) {
    return 0;
  }
  *cp = value;
  return len;
}

int CodePointWidth(char32_t cp) {
  if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
      (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F) ||
      cp == 0x200B || cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F)) {
    return 0;
  }
  if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
      (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD)) {
    return 2;
  }
  return 1;
}

}  // namespace

bool IsValidUtf8(absl::string_view s) {
  for (size_t i = 0; i < s.size();) {
    char32_t cp;
    const size_t len = DecodeUtf8(s, i, &cp);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

int DisplayWidth(absl::string_view utf8) {
  int width = 0;
  for (size_t i = 0; i < utf8.size();) {
    char32_t cp;
    const size_t len = DecodeUtf8(utf8, i, &cp);
    if (len == 0) {
      ++width;
      ++i;
      continue;
    }
    width += CodePointWidth(cp);
    i += len;
  }
  return width;
}

std::string Truncate(absl::string_view utf8, int width) {
  if (DisplayWidth(utf8) <= width) return std::string(utf8);
  if (width <= 0) return "";
  // Keep characters while they fit in width - 1 columns, then the ellipsis.
  int used = 0;
  size_t end = 0;
  while (end < utf8.size()) {
    char32_t cp;
    size_t len = DecodeUtf8(utf8, end, &cp);
    const int w = len == 0 ? 1 : CodePointWidth(cp);
    if (len == 0) len = 1;
    if (used + w > width - 1) break;
    used += w;
    end += len;
  }
  std::string out(utf8.substr(0, end));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + kEllipsis;
}

std::string OneLine(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool last_space = false;
  for (size_t i = 0; i < text.size();) {
    char32_t cp;
    const size_t len = DecodeUtf8(text, i, &cp);
    if (len == 0) {
      out += kReplacement;
      last_space = false;
      ++i;
      continue;
    }
    if (cp < 0x20 || cp == 0x7F || cp == ' ') {
      if (!last_space) out += ' ';
      last_space = true;
    } else {
      out.append(text.data() + i, len);
      last_space = false;
    }
    i += len;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

Table::Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  for (std::string& cell : cells) cell = OneLine(cell);
  rows_.push_back(std::move(cells));
}

void Table::Print(std::ostream& out, int total_width) const {
  const size_t n = columns_.size();
  std::vector<int> widths(n);
  for (size_t c = 0; c < n; ++c) {
    int w = DisplayWidth(columns_[c].header);
    for (const auto& row : rows_) w = std::max(w, DisplayWidth(row[c]));
    if (columns_[c].max_width > 0) w = std::min(w, columns_[c].max_width);
    widths[c] = std::max(w, DisplayWidth(columns_[c].header));
  }
  if (total_width > 0) {
    int fixed = 0;
    for (size_t c = 0; c < n; ++c) {
      if (!columns_[c].flexible) fixed += widths[c] + 2;
    }
    for (size_t c = 0; c < n; ++c) {
      if (columns_[c].flexible) {
        widths[c] = std::min(widths[c], std::max(12, total_width - fixed));
      }
    }
  }
  auto print_row = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < n; ++c) {
      const std::string cell = Truncate(cells[c], widths[c]);
      const std::string pad(widths[c] - DisplayWidth(cell), ' ');
      if (c > 0) line += "  ";
      if (columns_[c].align_right) {
        line += pad + cell;
      } else {
        line += cell;
        if (c + 1 < n) line += pad;
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  };
  std::vector<std::string> headers;
  for (const Column& column : columns_) headers.push_back(column.header);
  print_row(headers);
  for (const auto& row : rows_) print_row(row);
}

int TerminalWidth(int fallback) {
  winsize ws{};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
      ws.ws_col > 0) {
    return ws.ws_col;
  }
  int columns = 0;
  if (const char* env = std::getenv("COLUMNS");
      env != nullptr && absl::SimpleAtoi(env, &columns) && columns > 0) {
    return columns;
  }
  return fallback;
}

}  // namespace opinia::cli
