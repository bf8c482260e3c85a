// Aligned, UTF-8 aware text tables for human-readable CLI output.
#ifndef OPINIA_SERVICE_CLI_TABLE_H_
#define OPINIA_SERVICE_CLI_TABLE_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace opinia::cli {

// True when `s` is well-formed UTF-8 (no overlong forms, no surrogates).
bool IsValidUtf8(absl::string_view s);

// Terminal columns a UTF-8 string occupies: combining marks count 0, East
// Asian wide characters and emoji 2, everything else 1. Invalid bytes count
// 1 each (they are printed as U+FFFD by OneLine).
int DisplayWidth(absl::string_view utf8);

// `utf8` cut to at most `width` columns on a character boundary, ending in
// "…" when something was cut.
std::string Truncate(absl::string_view utf8, int width);

// Control characters (newlines, tabs) become spaces, runs of spaces collapse
// and invalid UTF-8 becomes U+FFFD, so a cell stays on one line.
std::string OneLine(absl::string_view text);

struct Column {
  std::string header;
  int max_width = 0;         // 0: as wide as the widest cell
  bool align_right = false;  // numbers
  bool flexible = false;     // takes the width left over (at most one column)
};

// Collects rows, then prints them with columns padded to a common width.
class Table {
 public:
  explicit Table(std::vector<Column> columns);

  // Cells beyond the number of columns are ignored; missing ones are empty.
  void AddRow(std::vector<std::string> cells);
  size_t size() const { return rows_.size(); }

  // `total_width` (0 = unlimited) bounds the flexible column so that a row
  // fits the terminal.
  void Print(std::ostream& out, int total_width) const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// Width of the terminal on stdout, else $COLUMNS, else `fallback`.
int TerminalWidth(int fallback);

}  // namespace opinia::cli

#endif  // OPINIA_SERVICE_CLI_TABLE_H_
