#include "util/status_macros.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace {

int calls = 0;

absl::Status Counted(absl::Status s) {
  ++calls;
  return s;
}

absl::StatusOr<std::unique_ptr<int>> Make(absl::Status s, int v) {
  ++calls;
  if (!s.ok()) return s;
  return std::make_unique<int>(v);
}

// Returns `after` when `first` is OK; `first` otherwise.
absl::Status TwoSteps(absl::Status first, absl::Status after) {
  RETURN_IF_ERROR(Counted(first));
  return after;
}

// Declares a move-only value, then assigns an existing variable.
absl::StatusOr<int> Sum(absl::Status first, absl::Status second) {
  ASSIGN_OR_RETURN(std::unique_ptr<int> a, Make(first, 2));
  std::unique_ptr<int> b;
  ASSIGN_OR_RETURN(b, Make(second, 3));
  return *a + *b;
}

TEST(StatusMacrosTest, ReturnIfError) {
  const struct {
    absl::Status first;
    absl::Status want;
  } kCases[] = {
      {absl::OkStatus(), absl::AlreadyExistsError("after")},
      {absl::NotFoundError("first"), absl::NotFoundError("first")},
  };
  for (const auto& c : kCases) {
    calls = 0;
    EXPECT_EQ(TwoSteps(c.first, absl::AlreadyExistsError("after")), c.want)
        << c.first;
    EXPECT_EQ(calls, 1) << c.first << ": the expression runs once";
  }
}

TEST(StatusMacrosTest, AssignOrReturn) {
  const struct {
    absl::Status first, second;
    absl::StatusOr<int> want;
    int calls;
  } kCases[] = {
      {absl::OkStatus(), absl::OkStatus(), 5, 2},
      {absl::InvalidArgumentError("a"), absl::OkStatus(),
       absl::InvalidArgumentError("a"), 1},
      {absl::OkStatus(), absl::UnavailableError("b"),
       absl::UnavailableError("b"), 2},
  };
  for (const auto& c : kCases) {
    calls = 0;
    EXPECT_EQ(Sum(c.first, c.second), c.want) << c.first << " " << c.second;
    EXPECT_EQ(calls, c.calls) << c.first << " " << c.second;
  }
}

}  // namespace
