// An RFC 4180 CSV record reader: quoted fields may hold commas, quotes ("")
// and line breaks; CRLF or LF line ends; a UTF-8 BOM at the start is skipped.
#ifndef OPINIA_SERVICE_CLI_CSV_H_
#define OPINIA_SERVICE_CLI_CSV_H_

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace opinia::cli {

class CsvReader {
 public:
  // Reads from `in`, which must outlive the reader.
  explicit CsvReader(std::istream* in) : in_(in) {}

  enum class Result { kRecord, kEnd, kUnterminatedQuote };

  // Reads the next record into `fields`. Blank lines are skipped.
  // kUnterminatedQuote: the input ended inside a quoted field (`fields` then
  // holds what was read).
  Result Next(std::vector<std::string>* fields);

  // 1-based line of the first line of the record last returned.
  int record_line() const { return record_line_; }
  // Bytes consumed so far (for progress).
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  bool ReadLine(std::string* line);

  std::istream* in_;
  int line_ = 0;
  int record_line_ = 0;
  uint64_t bytes_read_ = 0;
};

}  // namespace opinia::cli

#endif  // OPINIA_SERVICE_CLI_CSV_H_
