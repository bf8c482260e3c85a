// The outbound policy's address logic: literal spellings, the default
// ranges, IPv6 forms of IPv4, CIDR parsing, the allow list, the server's
// own endpoints and URL checks.
#include "service/core/util/outbound_policy.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace opinia::core {
namespace {

using ::testing::HasSubstr;

std::string Literal(const std::string& host) {
  std::optional<IpAddress> a = ParseIpLiteral(host);
  return a.has_value() ? a->ToString() : "name";
}

// (IP literal, port) pairs.
using Endpoints = std::vector<std::pair<std::string, int>>;

// Expects `policy` to allow each of `allowed` and refuse each of `refused`.
void ExpectAllows(const OutboundPolicy& policy, const Endpoints& allowed,
                  const Endpoints& refused) {
  for (const auto& [ip, port] : allowed) {
    EXPECT_TRUE(policy.Allows(*ParseIpLiteral(ip), port)) << ip << " " << port;
  }
  for (const auto& [ip, port] : refused) {
    EXPECT_FALSE(policy.Allows(*ParseIpLiteral(ip), port))
        << ip << " " << port;
  }
}

TEST(ParseIpLiteralTest, ReadsEverySpellingTheResolverAccepts) {
  const std::pair<const char*, const char*> cases[] = {
      {"127.0.0.1", "127.0.0.1"},
      {"127.1", "127.0.0.1"},
      {"2130706433", "127.0.0.1"},
      {"0x7f.1", "127.0.0.1"},
      {"0x7F.0.0.1", "127.0.0.1"},
      {"017700000001", "127.0.0.1"},
      {"0177.0.0.1", "127.0.0.1"},
      {"0x7f000001", "127.0.0.1"},
      {"127.000.000.001", "127.0.0.1"},
      {"127.0.0.1.", "127.0.0.1"},
      {"0", "0.0.0.0"},
      {"169.254.169.254", "169.254.169.254"},
      {"0xa9fea9fe", "169.254.169.254"},
      {"[::1]", "::1"},
      {"::1", "::1"},
      {"[::ffff:127.0.0.1]", "::ffff:127.0.0.1"},
      {"[::ffff:7f00:1]", "::ffff:127.0.0.1"},
      {"[fe80::1%25eth0]", "fe80::1"},
      {"[fe80::1%eth0]", "fe80::1"},
      // Names (resolved, then checked, at connect time).
      {"localhost", "name"},
      {"example.com", "name"},
      {"1.2.3.4.5", "name"},
      {"08.0.0.1", "name"},
      {"4294967296", "name"},
      {"0x", "name"},
      {"1e100", "name"},
      {"", "name"},
      {"[not-v6]", "name"},
  };
  for (const auto& [host, want] : cases) {
    EXPECT_EQ(Literal(host), want) << host;
  }
}

TEST(DefaultDeniedRangeTest, RefusesInternalRangesAndTheirIpv6Forms) {
  const char* denied[] = {
      "127.0.0.1",       "127.255.255.254", "10.0.0.1",
      "10.255.255.255",  "172.16.0.1",      "172.31.255.255",
      "192.168.1.1",     "100.64.0.1",      "100.127.255.255",
      "169.254.169.254", "169.254.0.1",     "0.0.0.0",
      "0.1.2.3",         "224.0.0.1",       "239.255.255.250",
      "255.255.255.255", "240.0.0.1",       "::",
      "::1",             "fe80::1",         "febf::1",
      "fc00::1",         "fd12:3456::1",    "ff02::1",
      "fec0::1",         "::ffff:127.0.0.1", "::ffff:10.0.0.1",
      "::ffff:169.254.169.254", "::127.0.0.1", "::10.1.2.3",
      "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "::ffff:0.0.0.0",
  };
  for (const char* text : denied) {
    std::optional<IpAddress> a = ParseIpLiteral(text);
    ASSERT_TRUE(a.has_value()) << text;
    EXPECT_TRUE(DefaultDeniedRange(*a).has_value()) << text;
  }
  const char* public_addresses[] = {
      "8.8.8.8",        "1.1.1.1",         "172.15.255.255", "172.32.0.1",
      "100.63.255.255", "100.128.0.1",     "169.253.0.1",    "11.0.0.1",
      "192.169.0.1",    "223.255.255.255", "2001:4860::8888", "2a00:1450::1",
      "::ffff:8.8.8.8", "64:ff9b::808:808", "fbff::1",        "fe7f::1",
  };
  for (const char* text : public_addresses) {
    std::optional<IpAddress> a = ParseIpLiteral(text);
    ASSERT_TRUE(a.has_value()) << text;
    EXPECT_EQ(DefaultDeniedRange(*a), std::nullopt) << text;
  }
  EXPECT_EQ(*DefaultDeniedRange(*ParseIpLiteral("127.0.0.1")),
            "a loopback address");
  EXPECT_THAT(*DefaultDeniedRange(*ParseIpLiteral("::ffff:127.0.0.1")),
              HasSubstr("loopback address in IPv6 form"));
  EXPECT_THAT(*DefaultDeniedRange(*ParseIpLiteral("169.254.169.254")),
              HasSubstr("cloud metadata"));
}

TEST(ParseCidrTest, IsStrict) {
  auto r = ParseCidr("10.0.0.0/8");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->ToString(), "10.0.0.0/8");
  EXPECT_TRUE(r->Contains(*ParseIpLiteral("10.200.3.4")));
  EXPECT_FALSE(r->Contains(*ParseIpLiteral("11.0.0.0")));
  EXPECT_FALSE(r->Contains(*ParseIpLiteral("::ffff:10.0.0.1")));  // family
  ASSERT_TRUE(ParseCidr("::1/128").ok());
  ASSERT_TRUE(ParseCidr("fd00::/8").ok());
  ASSERT_TRUE(ParseCidr("0.0.0.0/0").ok());
  ASSERT_TRUE(ParseCidr("192.168.1.7/32").ok());
  const std::pair<const char*, const char*> bad[] = {
      {"10.0.0.0", "ADDRESS/PREFIX"},
      {"10.0.0.0/33", "0..32"},
      {"::/129", "0..128"},
      {"10.0.0.0/", "0..32"},
      {"10.0.0.0/-1", "0..32"},
      {"10.0.0.0/8x", "0..32"},
      {"10.0.0.0/ 8", "0..32"},
      {"10.0.0.1/8", "did you mean 10.0.0.0/8?"},
      {"fd00::1/8", "did you mean fd00::/8?"},
      {"127.1/8", "not an IPv4"},
      {"0x7f.0.0.0/8", "not an IPv4"},
      {"010.0.0.0/8", "not an IPv4"},
      {"example.com/8", "not an IPv4"},
      {"/8", "not an IPv4"},
      {"10.0.0.0/8/8", "0..32"},
  };
  for (const auto& [text, why] : bad) {
    auto parsed = ParseCidr(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(parsed.status().message(), HasSubstr(why)) << text;
  }
}

TEST(ParseCidrListTest, ParsesCommaSeparatedRangesAndNamesTheBadOne) {
  auto empty = ParseCidrList("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  auto two = ParseCidrList("127.0.0.0/8, ::1/128");
  ASSERT_TRUE(two.ok()) << two.status();
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[1].ToString(), "::1/128");
  auto bad = ParseCidrList("127.0.0.0/8,10.0.0.0/33");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("\"10.0.0.0/33\""));
  EXPECT_FALSE(ParseCidrList("127.0.0.0/8,,::1/128").ok());
  EXPECT_FALSE(ParseCidrList("127.0.0.0/8,").ok());
}

TEST(OutboundPolicyTest, DefaultRefusesInternalAllowsPublic) {
  ExpectAllows(OutboundPolicy(),
               {{"93.184.216.34", 443}, {"2606:2800:220:1::1", 443}},
               {{"127.0.0.1", 80},
                {"::1", 80},
                {"::ffff:127.0.0.1", 80},
                {"169.254.169.254", 80}});
}

TEST(OutboundPolicyTest, AllowListOpensRangesIncludingIpv6Forms) {
  ExpectAllows(
      OutboundPolicy(*ParseCidrList("127.0.0.0/8,::1/128,10.20.0.0/16")),
      {{"127.0.0.1", 8080},
       {"127.9.9.9", 8080},
       {"::1", 8080},
       {"::ffff:127.0.0.1", 8080},
       {"10.20.3.4", 80}},
      // Only what is listed.
      {{"10.21.0.1", 80},
       {"169.254.169.254", 80},
       {"192.168.0.1", 80},
       {"fd00::1", 80}});
}

TEST(OutboundPolicyTest, OwnListeningAddressesStayRefusedWhenAllowed) {
  OutboundPolicy policy(*ParseCidrList("127.0.0.0/8,::1/128"));
  policy.DenyListeningAddress("127.0.0.1:50051");
  policy.DenyListeningAddress("[::1]:9090");
  auto refusal = policy.Refusal(*ParseIpLiteral("127.0.0.1"), 50051);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_THAT(*refusal, HasSubstr("own address"));
  ExpectAllows(policy, {{"127.0.0.1", 50052}, {"127.0.0.2", 50051}},
               {{"::ffff:127.0.0.1", 50051}, {"::1", 9090}});

  // A wildcard listen refuses the port on every local address.
  OutboundPolicy open_all(*ParseCidrList("0.0.0.0/0,::/0"));
  open_all.DenyListeningAddress("0.0.0.0:7000");
  ExpectAllows(open_all, {{"93.184.216.34", 7000}, {"127.0.0.1", 7001}},
               {{"127.0.0.1", 7000}, {"127.3.2.1", 7000}});
  // Names resolve; unix sockets have no address.
  OutboundPolicy named(*ParseCidrList("127.0.0.0/8"));
  named.DenyListeningAddress("localhost:7100");
  named.DenyListeningAddress("unix:/tmp/opinia.sock");
  ExpectAllows(named, {}, {{"127.0.0.1", 7100}});
}

TEST(OutboundPolicyTest, CheckUrlRefusesLiteralDeniedHostsInAnySpelling) {
  OutboundPolicy policy;
  const char* refused[] = {
      "http://127.0.0.1/feed",          "http://127.1/",
      "http://2130706433/",             "http://0x7f.1/",
      "http://017700000001/",           "https://[::1]:8443/x",
      "http://[::ffff:127.0.0.1]/",     "http://[::ffff:7f00:1]/",
      "http://169.254.169.254/latest/meta-data/",
      "http://0xa9fea9fe/",             "http://10.0.0.5:8080/",
      "http://user:pw@127.0.0.1/",      "http://%31%32%37.0.0.1/",
      "http://0/",                      "http://[fe80::1%25eth0]/",
      "http://127.0.0.1./",             "HTTP://127.0.0.1/",
      "http://[fd00::1]/",              "http://[::]/",
  };
  for (const char* url : refused) {
    absl::Status s = policy.CheckUrl(url, "webhook.url");
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << url;
    EXPECT_THAT(s.message(), HasSubstr("webhook.url: ")) << url;
    EXPECT_THAT(s.message(), HasSubstr("--outbound-allow")) << url;
  }
  // Names are resolved (and checked) only when connecting.
  EXPECT_TRUE(policy.CheckUrl("https://localhost/x", "f").ok());
  EXPECT_TRUE(policy.CheckUrl("https://example.com/x", "f").ok());
  EXPECT_TRUE(policy.CheckUrl("https://93.184.216.34/x", "f").ok());
  // Not a URL libcurl takes.
  EXPECT_EQ(policy.CheckUrl("ftp://example.com/", "f").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(policy.CheckUrl("http://exa mple.com/", "f").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(policy.CheckUrl(std::string("http://a.com/\0x", 15), "f").code(),
            absl::StatusCode::kInvalidArgument);

  OutboundPolicy loopback(*ParseCidrList("127.0.0.0/8,::1/128"));
  EXPECT_TRUE(loopback.CheckUrl("http://127.1:8080/", "f").ok());
  EXPECT_TRUE(loopback.CheckUrl("http://[::1]/", "f").ok());
  EXPECT_FALSE(loopback.CheckUrl("http://169.254.169.254/", "f").ok());
  loopback.DenyListeningAddress("127.0.0.1:50051");
  EXPECT_THAT(loopback.CheckUrl("http://127.0.0.1:50051/", "f").message(),
              HasSubstr("own address"));
}

TEST(HttpUrlTest, OriginIsSchemeHostAndPortAsLibcurlReadsThem) {
  auto a = ParseHttpUrl("https://Example.COM/reviews?page=1");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->Origin(), "https://example.com:443");
  auto b = ParseHttpUrl("https://example.com:443/other");
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(a->SameOrigin(*b));
  for (const char* other :
       {"http://example.com/reviews", "https://example.com:8443/reviews",
        "https://evil.com/reviews", "https://example.com@evil.com/",
        "https://example.com.evil.com/"}) {
    auto o = ParseHttpUrl(other);
    ASSERT_TRUE(o.ok()) << other;
    EXPECT_FALSE(a->SameOrigin(*o)) << other;
  }
  EXPECT_EQ(ParseHttpUrl("http://127.1:80/")->Origin(), "http://127.0.0.1:80");
}

}  // namespace
}  // namespace opinia::core
