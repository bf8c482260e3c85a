// service/rpc/raw_ingest.proto twins opinia.v1.IngestReviewsRequest and
// ReviewInput (bytes for string, so invalid UTF-8 reaches the core). These
// tests fail the moment the public messages gain a field that the twin or
// the conversion in raw_ingest.cc does not carry.
#include "service/rpc/raw_ingest.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "opinia/v1/reviews.pb.h"
#include "service/rpc/raw_ingest.pb.h"

namespace opinia::rpc {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::util::MessageDifferencer;

// Fields of IngestReviewsRequest that ParseIngestRequest drops on purpose
// (it returns the reviews only): the server does not use request_id, ingest
// is idempotent by (source, external_id).
const std::set<std::string> kDroppedRequestFields = {"request_id"};

// Every field of `pub` has a twin in `twin`: same name, number and
// cardinality, and a compatible type (string <-> bytes; a map <-> a repeated
// message of the same shape; other messages twinned recursively). And the
// twin has no field of its own.
void ExpectTwins(const Descriptor* pub, const Descriptor* twin) {
  SCOPED_TRACE(absl::StrCat(pub->full_name(), " ~ ", twin->full_name()));
  if (pub == twin) return;  // a shared type, e.g. google.protobuf.Timestamp
  for (int i = 0; i < pub->field_count(); ++i) {
    const FieldDescriptor* f = pub->field(i);
    const FieldDescriptor* t = twin->FindFieldByNumber(f->number());
    if (t == nullptr) {
      ADD_FAILURE() << f->full_name() << " has no twin field with number "
                    << f->number();
      continue;
    }
    EXPECT_EQ(t->name(), f->name()) << f->full_name();
    EXPECT_EQ(t->is_repeated(), f->is_repeated()) << f->full_name();
    if (f->type() == FieldDescriptor::TYPE_STRING) {
      EXPECT_TRUE(t->type() == FieldDescriptor::TYPE_BYTES ||
                  t->type() == FieldDescriptor::TYPE_STRING)
          << f->full_name() << " is a string, its twin a " << t->type_name();
    } else if (t->type() != f->type()) {
      ADD_FAILURE() << f->full_name() << " is a " << f->type_name()
                    << ", its twin a " << t->type_name();
    } else if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
      ExpectTwins(f->message_type(), t->message_type());
    } else if (f->type() == FieldDescriptor::TYPE_ENUM) {
      EXPECT_EQ(t->enum_type(), f->enum_type()) << f->full_name();
    }
  }
  for (int i = 0; i < twin->field_count(); ++i) {
    EXPECT_NE(pub->FindFieldByNumber(twin->field(i)->number()), nullptr)
        << twin->field(i)->full_name() << " has no public counterpart";
  }
}

TEST(RawIngestTest, TwinsCarryEveryField) {
  ExpectTwins(opinia::v1::IngestReviewsRequest::descriptor(),
              internal::RawIngestReviewsRequest::descriptor());
  ExpectTwins(opinia::v1::ReviewInput::descriptor(),
              internal::RawReviewInput::descriptor());
}

// Sets every field of `m` to a value unlike any other (`next` counts up),
// two elements for repeated and map fields; recurses into messages.
void Populate(Message* m, int* next) {
  const Descriptor* d = m->GetDescriptor();
  const Reflection* r = m->GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    const int n = f->is_repeated() ? 2 : 1;
    for (int k = 0; k < n; ++k) {
      const int v = ++*next;
      switch (f->cpp_type()) {
        case FieldDescriptor::CPPTYPE_STRING: {
          const std::string s = absl::StrCat(f->name(), "-", v);
          f->is_repeated() ? r->AddString(m, f, s) : r->SetString(m, f, s);
          break;
        }
        case FieldDescriptor::CPPTYPE_INT32:
          f->is_repeated() ? r->AddInt32(m, f, v) : r->SetInt32(m, f, v);
          break;
        case FieldDescriptor::CPPTYPE_INT64:
          f->is_repeated() ? r->AddInt64(m, f, v) : r->SetInt64(m, f, v);
          break;
        case FieldDescriptor::CPPTYPE_UINT32:
          f->is_repeated() ? r->AddUInt32(m, f, v) : r->SetUInt32(m, f, v);
          break;
        case FieldDescriptor::CPPTYPE_UINT64:
          f->is_repeated() ? r->AddUInt64(m, f, v) : r->SetUInt64(m, f, v);
          break;
        case FieldDescriptor::CPPTYPE_DOUBLE:
          f->is_repeated() ? r->AddDouble(m, f, v) : r->SetDouble(m, f, v);
          break;
        case FieldDescriptor::CPPTYPE_FLOAT:
          f->is_repeated() ? r->AddFloat(m, f, v) : r->SetFloat(m, f, v);
          break;
        case FieldDescriptor::CPPTYPE_BOOL:
          f->is_repeated() ? r->AddBool(m, f, true) : r->SetBool(m, f, true);
          break;
        case FieldDescriptor::CPPTYPE_ENUM: {
          const auto* e = f->enum_type();
          const auto* value = e->value(e->value_count() - 1);
          f->is_repeated() ? r->AddEnum(m, f, value) : r->SetEnum(m, f, value);
          break;
        }
        case FieldDescriptor::CPPTYPE_MESSAGE:
          Populate(
              f->is_repeated() ? r->AddMessage(m, f) : r->MutableMessage(m, f),
              next);
          break;
      }
    }
  }
}

// Populate() left no field at its default (a test that cannot fail is none).
void ExpectFull(const Message& m) {
  std::vector<const FieldDescriptor*> set;
  m.GetReflection()->ListFields(m, &set);
  EXPECT_EQ(static_cast<int>(set.size()), m.GetDescriptor()->field_count())
      << m.ShortDebugString();
}

opinia::v1::ReviewInput FullReviewInput(int* next) {
  opinia::v1::ReviewInput in;
  Populate(&in, next);
  ExpectFull(in);
  EXPECT_EQ(in.attributes_size(), 2);
  return in;
}

TEST(RawIngestTest, ParseReviewInputCopiesEveryField) {
  int next = 0;
  const opinia::v1::ReviewInput in = FullReviewInput(&next);
  grpc::ByteBuffer buffer;
  SerializeTo(in, &buffer);
  auto out = ParseReviewInput(&buffer);
  ASSERT_TRUE(out.ok()) << out.status();
  std::string diff;
  MessageDifferencer differ;
  differ.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differ.Compare(in, *out)) << diff;
}

TEST(RawIngestTest, ParseIngestRequestCopiesEveryReviewField) {
  int next = 0;
  opinia::v1::IngestReviewsRequest request;
  Populate(&request, &next);
  ExpectFull(request);
  ASSERT_EQ(request.reviews_size(), 2);
  for (const auto& review : request.reviews()) ExpectFull(review);

  // Fields besides `reviews` that the parse result cannot carry.
  const Descriptor* d = request.GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const std::string& name = d->field(i)->name();
    EXPECT_TRUE(name == "reviews" || kDroppedRequestFields.count(name) == 1)
        << "IngestReviewsRequest." << name
        << " is dropped by ParseIngestRequest: carry it to the core or list "
           "it in kDroppedRequestFields";
  }

  grpc::ByteBuffer buffer;
  SerializeTo(request, &buffer);
  auto out = ParseIngestRequest(&buffer);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(static_cast<int>(out->size()), request.reviews_size());
  for (int i = 0; i < request.reviews_size(); ++i) {
    std::string diff;
    MessageDifferencer differ;
    differ.ReportDifferencesToString(&diff);
    EXPECT_TRUE(differ.Compare(request.reviews(i), (*out)[i]))
        << "reviews[" << i << "]: " << diff;
  }
}

// The reason the twin exists: invalid UTF-8 in a string field still
// parses, and reaches the core byte for byte.
TEST(RawIngestTest, InvalidUtf8Parses) {
  internal::RawIngestReviewsRequest raw;
  raw.add_reviews()->set_text("bad \xC3\x28 byte");
  grpc::ByteBuffer buffer;
  SerializeTo(raw, &buffer);
  auto out = ParseIngestRequest(&buffer);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 1u);
  EXPECT_EQ((*out)[0].text(), "bad \xC3\x28 byte");
}

}  // namespace
}  // namespace opinia::rpc
