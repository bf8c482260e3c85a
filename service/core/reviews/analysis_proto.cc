#include "service/core/reviews/analysis_proto.h"

#include "service/core/util/time_proto.h"

namespace opinia::core {
namespace {

void SpanToProto(const nlp::Span& s, opinia::v1::Span* out) {
  out->set_begin(s.begin);
  out->set_end(s.end);
}

nlp::Span SpanFromProto(const opinia::v1::Span& s) {
  return nlp::Span{s.begin(), s.end()};
}

void SentimentToProto(const nlp::Sentiment& s, opinia::v1::Sentiment* out) {
  out->set_score(s.score);
  out->set_label(static_cast<opinia::v1::SentimentLabel>(s.label));
  out->set_confidence(s.confidence);
}

nlp::Sentiment SentimentFromProto(const opinia::v1::Sentiment& s) {
  nlp::Sentiment out;
  out.score = s.score();
  out.label = static_cast<nlp::SentimentLabel>(s.label());
  out.confidence = s.confidence();
  return out;
}

}  // namespace

opinia::v1::Analysis ToProto(const nlp::Analysis& a) {
  opinia::v1::Analysis out;
  out.set_language(a.language);
  out.set_language_confidence(a.language_confidence);
  SentimentToProto(a.sentiment, out.mutable_sentiment());
  for (const auto& s : a.sentences) {
    auto* sentence = out.add_sentences();
    SpanToProto(s.span, sentence->mutable_span());
    SentimentToProto(s.sentiment, sentence->mutable_sentiment());
  }
  for (const auto& as : a.aspects) {
    auto* aspect = out.add_aspects();
    aspect->set_aspect(static_cast<opinia::v1::Aspect>(as.aspect));
    SentimentToProto(as.sentiment, aspect->mutable_sentiment());
    for (const auto& e : as.evidence) SpanToProto(e, aspect->add_evidence());
  }
  auto* urgency = out.mutable_urgency();
  urgency->set_priority(static_cast<opinia::v1::Priority>(a.urgency.priority));
  for (const auto& r : a.urgency.reasons) urgency->add_reasons(r);
  for (const auto& e : a.urgency.evidence) {
    SpanToProto(e, urgency->add_evidence());
  }
  out.set_model_version(a.model_version);
  return out;
}

nlp::Analysis FromProto(const opinia::v1::Analysis& a) {
  nlp::Analysis out;
  out.language = a.language();
  out.language_confidence = a.language_confidence();
  out.sentiment = SentimentFromProto(a.sentiment());
  for (const auto& s : a.sentences()) {
    out.sentences.push_back(
        {SpanFromProto(s.span()), SentimentFromProto(s.sentiment())});
  }
  for (const auto& as : a.aspects()) {
    nlp::AspectSentiment aspect;
    aspect.aspect = static_cast<nlp::Aspect>(as.aspect());
    aspect.sentiment = SentimentFromProto(as.sentiment());
    for (const auto& e : as.evidence()) {
      aspect.evidence.push_back(SpanFromProto(e));
    }
    out.aspects.push_back(std::move(aspect));
  }
  out.urgency.priority = static_cast<nlp::Priority>(a.urgency().priority());
  out.urgency.reasons.assign(a.urgency().reasons().begin(),
                             a.urgency().reasons().end());
  for (const auto& e : a.urgency().evidence()) {
    out.urgency.evidence.push_back(SpanFromProto(e));
  }
  out.model_version = a.model_version();
  return out;
}

void DropZeroDeadline(opinia::v1::Analysis* analysis) {
  if (analysis->has_urgency() && analysis->urgency().has_respond_by() &&
      FromTimestamp(analysis->urgency().respond_by()) == absl::InfinitePast()) {
    analysis->mutable_urgency()->clear_respond_by();
  }
}

opinia::v1::Analysis EmptyAnalysis() {
  opinia::v1::Analysis out;
  out.set_language("und");
  out.set_model_version(kNoModelVersion);
  return out;
}

}  // namespace opinia::core
