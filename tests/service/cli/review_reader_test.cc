#include "service/cli/review_reader.h"

#include <sstream>

#include "gtest/gtest.h"
#include "service/cli/csv.h"

namespace opinia::cli {
namespace {

std::vector<ReadItem> ReadAll(const std::string& text, FileFormat format,
                              absl::Status* status = nullptr) {
  std::istringstream in(text);
  auto reader = ReviewReader::Create(&in, format);
  if (status != nullptr) *status = reader.status();
  std::vector<ReadItem> items;
  if (!reader.ok()) return items;
  for (ReadItem item = (*reader)->Next(); item.kind != ReadItem::Kind::kEnd;
       item = (*reader)->Next()) {
    items.push_back(item);
  }
  return items;
}

TEST(CsvReaderTest, Rfc4180QuotingAndLineNumbers) {
  std::istringstream in(
      "\xEF\xBB\xBF"
      "a,b,c\r\n"
      "1,\"x, y\",\"say \"\"hi\"\"\"\r\n"
      "\n"
      "2,\"multi\nline\",z\n"
      "3,,\n");
  CsvReader csv(&in);
  std::vector<std::string> f;
  ASSERT_EQ(csv.Next(&f), CsvReader::Result::kRecord);
  EXPECT_EQ(f, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(csv.record_line(), 1);
  ASSERT_EQ(csv.Next(&f), CsvReader::Result::kRecord);
  EXPECT_EQ(f, (std::vector<std::string>{"1", "x, y", "say \"hi\""}));
  EXPECT_EQ(csv.record_line(), 2);
  ASSERT_EQ(csv.Next(&f), CsvReader::Result::kRecord);
  EXPECT_EQ(f, (std::vector<std::string>{"2", "multi\nline", "z"}));
  EXPECT_EQ(csv.record_line(), 4);
  ASSERT_EQ(csv.Next(&f), CsvReader::Result::kRecord);
  EXPECT_EQ(f, (std::vector<std::string>{"3", "", ""}));
  EXPECT_EQ(csv.record_line(), 6);
  EXPECT_EQ(csv.Next(&f), CsvReader::Result::kEnd);
}

TEST(CsvReaderTest, UnterminatedQuote) {
  std::istringstream in("a,\"never closed\nstill open\n");
  CsvReader csv(&in);
  std::vector<std::string> f;
  EXPECT_EQ(csv.Next(&f), CsvReader::Result::kUnterminatedQuote);
}

TEST(ReviewReaderTest, JsonlLinesWithErrorsKeepTheirLineNumbers) {
  auto items = ReadAll(
      "{\"source\":\"allegro\",\"external_id\":\"1\",\"rating\":5,\"text\":"
      "\"Super\"}\n"
      "\n"
      "{\"source\":\"google\",\"externalId\":\"2\",\"createTime\":\"2026-11-"
      "20T10:00:00Z\"}\n"
      "{not json}\n"
      "{\"source\":\"x\",\"no_such_field\":1}\n",
      FileFormat::kJsonl);
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].kind, ReadItem::Kind::kReview);
  EXPECT_EQ(items[0].line, 1);
  EXPECT_EQ(items[0].review.rating(), 5);
  EXPECT_EQ(items[1].line, 3);
  EXPECT_EQ(items[1].review.external_id(), "2");
  EXPECT_EQ(items[1].review.create_time().seconds(), 1795168800);
  EXPECT_EQ(items[2].kind, ReadItem::Kind::kBadLine);
  EXPECT_EQ(items[2].line, 4);
  EXPECT_EQ(items[3].kind, ReadItem::Kind::kBadLine)
      << "unknown fields are errors";
  EXPECT_EQ(items[3].line, 5);
}

TEST(ReviewReaderTest, CsvColumnsMapToFields) {
  auto items = ReadAll(
      "external_id,rating,Text,create_time,attributes.order_id,title\n"
      "a1,4,\"Dobra jakość, szybka wysyłka\",2026-11-20T10:00:00+01:00,ord-9,\n"
      "a2,five,x,,,\n"
      "a3,1,\"Linia 1\nLinia 2\",2026-11-21,,Tytuł\n"
      "a4,2\n",
      FileFormat::kCsv);
  ASSERT_EQ(items.size(), 4u);
  ASSERT_EQ(items[0].kind, ReadItem::Kind::kReview) << items[0].error;
  EXPECT_EQ(items[0].review.external_id(), "a1");
  EXPECT_EQ(items[0].review.rating(), 4);
  EXPECT_EQ(items[0].review.text(), "Dobra jakość, szybka wysyłka");
  EXPECT_EQ(items[0].review.create_time().seconds(), 1795168800 - 3600);
  EXPECT_EQ(items[0].review.attributes().at("order_id"), "ord-9");
  EXPECT_TRUE(items[0].review.title().empty());
  EXPECT_EQ(items[1].kind, ReadItem::Kind::kBadLine);
  EXPECT_EQ(items[1].line, 3);
  EXPECT_NE(items[1].error.find("rating"), std::string::npos) << items[1].error;
  ASSERT_EQ(items[2].kind, ReadItem::Kind::kReview) << items[2].error;
  EXPECT_EQ(items[2].line, 4);
  EXPECT_EQ(items[2].review.text(), "Linia 1\nLinia 2");
  EXPECT_EQ(items[2].review.create_time().seconds(), 1795219200);
  EXPECT_EQ(items[3].kind, ReadItem::Kind::kBadLine);
  EXPECT_EQ(items[3].line, 6);
}

TEST(ReviewReaderTest, CsvCellsMustBeUtf8) {
  // "Świetny" in Windows-1250: 0x8C is not a UTF-8 lead byte.
  auto items = ReadAll("external_id,text\nw1,\x8Cwietny\nw2,Świetny\n",
                       FileFormat::kCsv);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].kind, ReadItem::Kind::kBadLine);
  EXPECT_NE(items[0].error.find("UTF-8"), std::string::npos) << items[0].error;
  EXPECT_EQ(items[1].kind, ReadItem::Kind::kReview);
}

TEST(ReviewReaderTest, CsvHeaderErrors) {
  absl::Status status;
  ReadAll("external_id,stars\n", FileFormat::kCsv, &status);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("stars"), std::string::npos);
  ReadAll("text,text\n", FileFormat::kCsv, &status);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  ReadAll("", FileFormat::kCsv, &status);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
}

TEST(DetectFormatTest, ByExtensionOrFlag) {
  EXPECT_EQ(*DetectFormat("a/b.jsonl", ""), FileFormat::kJsonl);
  EXPECT_EQ(*DetectFormat("B.CSV", ""), FileFormat::kCsv);
  EXPECT_EQ(*DetectFormat("data.txt", "csv"), FileFormat::kCsv);
  EXPECT_FALSE(DetectFormat("data.txt", "").ok());
}

}  // namespace
}  // namespace opinia::cli
