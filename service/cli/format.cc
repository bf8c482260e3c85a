#include "service/cli/format.h"

#include <google/protobuf/util/json_util.h>

#include <iostream>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace opinia::cli {

std::string ToJsonLine(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = false;
  std::string out;
  auto status =
      google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!status.ok())
    return absl::StrCat("{\"error\":\"", status.ToString(), "\"}");
  return out;
}

void PrintJsonOr(const Args& args, const google::protobuf::Message& message,
                 const std::function<void()>& text) {
  if (args.Has("json")) {
    std::cout << ToJsonLine(message) << "\n";
  } else {
    text();
  }
}

absl::Time ToAbslTime(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

google::protobuf::Timestamp ToProtoTime(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t seconds = absl::ToUnixSeconds(t);
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(seconds))));
  return ts;
}

namespace {

std::string Format(const char* format, const google::protobuf::Timestamp& ts,
                   const absl::TimeZone& zone) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return "-";
  return absl::FormatTime(format, ToAbslTime(ts), zone);
}

}  // namespace

std::string ShortTime(const google::protobuf::Timestamp& ts,
                      const absl::TimeZone& zone) {
  return Format("%Y-%m-%d %H:%M", ts, zone);
}

std::string ShortDate(const google::protobuf::Timestamp& ts,
                      const absl::TimeZone& zone) {
  return Format("%Y-%m-%d", ts, zone);
}

std::string LongTime(const google::protobuf::Timestamp& ts,
                     const absl::TimeZone& zone) {
  return Format(absl::RFC3339_sec, ts, zone);
}

std::string BucketLabel(const opinia::v1::TrendPoint& point,
                        opinia::v1::Interval interval,
                        const absl::TimeZone& zone) {
  return Format(interval == opinia::v1::MONTH ? "%Y-%m" : "%Y-%m-%d",
                point.start_time(), zone);
}

std::string BucketHeader(opinia::v1::Interval interval,
                         absl::string_view zone_name) {
  const char* what = interval == opinia::v1::MONTH  ? "MONTH"
                     : interval == opinia::v1::WEEK ? "WEEK FROM"
                                                    : "DAY";
  return absl::StrCat(what, " (", zone_name, ")");
}

absl::StatusOr<absl::Time> ParseTimeArg(absl::string_view text,
                                        absl::Time now) {
  absl::Time t;
  std::string err;
  const std::string s(absl::StripAsciiWhitespace(text));
  if (absl::ParseTime(absl::RFC3339_full, s, &t, &err)) return t;
  if (absl::ParseTime("%Y-%m-%d", s, absl::UTCTimeZone(), &t, &err)) return t;
  if (s.size() >= 2) {
    int64_t n = 0;
    const char unit = s.back();
    if (absl::SimpleAtoi(s.substr(0, s.size() - 1), &n) && n >= 0) {
      switch (unit) {
        case 'd':
          return now - absl::Hours(24 * n);
        case 'h':
          return now - absl::Hours(n);
        case 'm':
          return now - absl::Minutes(n);
        default:
          break;
      }
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "not a time: '", s,
      "' (use RFC 3339 like 2026-11-20T14:03:00Z, a date like 2026-11-20, "
      "or an age like 7d / 36h)"));
}

std::string QualifyName(absl::string_view collection, absl::string_view name) {
  if (name.find('/') != absl::string_view::npos) return std::string(name);
  return absl::StrCat(collection, "/", name);
}

std::vector<std::string> SplitList(absl::string_view text) {
  std::vector<std::string> out;
  for (absl::string_view p : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    out.emplace_back(absl::StripAsciiWhitespace(p));
  }
  return out;
}

}  // namespace opinia::cli
