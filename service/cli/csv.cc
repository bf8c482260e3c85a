#include "service/cli/csv.h"

namespace opinia::cli {

bool CsvReader::ReadLine(std::string* line) {
  if (!std::getline(*in_, *line)) return false;
  bytes_read_ += line->size() + 1;
  if (line_ == 0 && line->rfind("\xEF\xBB\xBF", 0) == 0) line->erase(0, 3);
  ++line_;
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

CsvReader::Result CsvReader::Next(std::vector<std::string>* fields) {
  fields->clear();
  std::string line;
  do {
    if (!ReadLine(&line)) return Result::kEnd;
  } while (line.empty());
  record_line_ = line_;

  std::string field;
  bool quoted = false;      // inside a quoted field
  bool was_quoted = false;  // current field started with a quote
  size_t i = 0;
  while (true) {
    if (i >= line.size()) {
      if (!quoted) break;
      // A line break inside quotes belongs to the field.
      if (!ReadLine(&line)) {
        fields->push_back(field);
        return Result::kUnterminatedQuote;
      }
      field += '\n';
      i = 0;
      continue;
    }
    const char c = line[i++];
    if (quoted) {
      if (c == '"') {
        if (i < line.size() && line[i] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c == ',') {
      fields->push_back(field);
      field.clear();
      was_quoted = false;
    } else if (c == '"' && field.empty() && !was_quoted) {
      quoted = true;
      was_quoted = true;
    } else {
      field += c;  // lenient: a stray quote inside an unquoted field is kept
    }
  }
  fields->push_back(field);
  return Result::kRecord;
}

}  // namespace opinia::cli
