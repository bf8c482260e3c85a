#include "service/core/util/outbound_policy.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "service/core/util/absl_sv.h"

namespace opinia::core {
namespace {

// inet_pton of one family; nullopt when `text` is not such an address.
std::optional<IpAddress> Pton(const std::string& text, bool v6) {
  IpAddress a;
  a.v6 = v6;
  if (inet_pton(v6 ? AF_INET6 : AF_INET, text.c_str(), a.bytes.data()) != 1) {
    return std::nullopt;
  }
  return a;
}

// The host part of an IPv6 literal without brackets and zone.
std::string_view WithoutZone(std::string_view host) {
  const size_t zone = host.find('%');
  return zone == std::string_view::npos ? host : host.substr(0, zone);
}

struct NamedRange {
  IpRange range;
  const char* what;  // "a loopback address"
};

IpRange MustParse(const char* cidr) {
  // Literals below; a typo would be caught by every test of the policy.
  return *ParseCidr(cidr);
}

const std::vector<NamedRange>& DeniedRanges() {
  static const auto* const ranges = new std::vector<NamedRange>{
      {MustParse("0.0.0.0/8"), "an unspecified address (0.0.0.0/8)"},
      {MustParse("10.0.0.0/8"), "a private address (RFC 1918)"},
      {MustParse("100.64.0.0/10"),
       "a carrier-grade NAT address (100.64.0.0/10)"},
      {MustParse("127.0.0.0/8"), "a loopback address"},
      {MustParse("169.254.0.0/16"),
       "a link-local address (169.254.0.0/16, cloud metadata)"},
      {MustParse("172.16.0.0/12"), "a private address (RFC 1918)"},
      {MustParse("192.168.0.0/16"), "a private address (RFC 1918)"},
      {MustParse("224.0.0.0/4"), "a multicast address"},
      {MustParse("240.0.0.0/4"),
       "a reserved or broadcast address (240.0.0.0/4)"},
      {MustParse("::/128"), "an unspecified address (::)"},
      {MustParse("::1/128"), "a loopback address"},
      {MustParse("fe80::/10"), "a link-local address (fe80::/10)"},
      {MustParse("fec0::/10"), "a site-local address (fec0::/10)"},
      {MustParse("fc00::/7"), "a unique-local address (fc00::/7)"},
      {MustParse("ff00::/8"), "a multicast address"},
  };
  return *ranges;
}

// Every address of this machine's interfaces, and the loopback ranges.
std::vector<IpRange> LocalAddresses() {
  std::vector<IpRange> out = {MustParse("127.0.0.0/8"), MustParse("::1/128")};
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (auto a = IpAddress::FromSockaddr(i->ifa_addr)) {
      out.push_back({*a, a->bits()});
    }
  }
  freeifaddrs(list);
  return out;
}

// Every address `host` resolves to (none when it does not).
std::vector<IpRange> Resolve(const std::string& host) {
  std::vector<IpRange> out;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &list) != 0) return out;
  for (addrinfo* i = list; i != nullptr; i = i->ai_next) {
    if (auto a = IpAddress::FromSockaddr(i->ai_addr)) {
      out.push_back({*a, a->bits()});
    }
  }
  freeaddrinfo(list);
  return out;
}

absl::Status Invalid(std::string_view field, std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(Av(field), ": ", Av(why)));
}

// A string libcurl allocated.
struct CurlString {
  char* p = nullptr;
  ~CurlString() { curl_free(p); }
  std::string str() const { return p == nullptr ? "" : p; }
};

}  // namespace

IpAddress IpAddress::V4(uint32_t host_order) {
  IpAddress a;
  const uint32_t n = htonl(host_order);
  std::memcpy(a.bytes.data(), &n, 4);
  return a;
}

std::optional<IpAddress> IpAddress::FromSockaddr(const sockaddr* address) {
  if (address == nullptr) return std::nullopt;
  IpAddress a;
  if (address->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(address);
    std::memcpy(a.bytes.data(), &in->sin_addr, 4);
    return a;
  }
  if (address->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(address);
    a.v6 = true;
    std::memcpy(a.bytes.data(), &in6->sin6_addr, 16);
    return a;
  }
  return std::nullopt;
}

std::string IpAddress::ToString() const {
  char text[INET6_ADDRSTRLEN] = {0};
  inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), text, sizeof(text));
  return text;
}

std::optional<IpAddress> IpAddress::EmbeddedV4() const {
  if (!v6) return std::nullopt;
  auto zeros = [&](int from, int to) {
    for (int i = from; i < to; ++i) {
      if (bytes[i] != 0) return false;
    }
    return true;
  };
  IpAddress v4;
  std::memcpy(v4.bytes.data(), bytes.data() + 12, 4);
  const bool mapped = zeros(0, 10) && bytes[10] == 0xff && bytes[11] == 0xff;
  const bool nat64 = bytes[0] == 0x00 && bytes[1] == 0x64 &&
                     bytes[2] == 0xff && bytes[3] == 0x9b && zeros(4, 12);
  // ::a.b.c.d, but not :: and ::1 (IPv6 addresses of their own).
  const bool compatible = zeros(0, 12) && !(zeros(12, 15) && bytes[15] <= 1);
  if (mapped || nat64 || compatible) return v4;
  return std::nullopt;
}

std::optional<IpAddress> ParseIpLiteral(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return Pton(std::string(WithoutZone(host.substr(1, host.size() - 2))),
                /*v6=*/true);
  }
  if (host.find(':') != std::string_view::npos) {
    return Pton(std::string(WithoutZone(host)), /*v6=*/true);
  }
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  // inet_aton's numbers: decimal, 0-octal, 0x-hex, 1 to 4 parts. Anything
  // else (a letter outside a 0x number, a space) makes it a name.
  if (host.empty() || !absl::ascii_isdigit(host.front())) return std::nullopt;
  for (char c : host) {
    if (!absl::ascii_isxdigit(c) && c != 'x' && c != 'X' && c != '.') {
      return std::nullopt;
    }
  }
  in_addr in{};
  if (inet_aton(std::string(host).c_str(), &in) == 0) return std::nullopt;
  return IpAddress::V4(ntohl(in.s_addr));
}

bool IpRange::Contains(const IpAddress& a) const {
  if (a.v6 != base.v6) return false;
  const int full = prefix / 8;
  for (int i = 0; i < full; ++i) {
    if (a.bytes[i] != base.bytes[i]) return false;
  }
  const int rest = prefix % 8;
  if (rest == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a.bytes[full] & mask) == (base.bytes[full] & mask);
}

std::string IpRange::ToString() const {
  return absl::StrCat(base.ToString(), "/", prefix);
}

absl::StatusOr<IpRange> ParseCidr(std::string_view text) {
  const std::string quoted = absl::StrCat("\"", Av(text), "\"");
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        quoted, ": not a range; write ADDRESS/PREFIX, e.g. 10.0.0.0/8 or "
                "fd00::/8"));
  }
  const std::string address(text.substr(0, slash));
  const std::string_view length = text.substr(slash + 1);
  const bool v6 = address.find(':') != std::string::npos;
  std::optional<IpAddress> base = Pton(address, v6);
  if (!base.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        quoted, ": \"", address,
        "\" is not an IPv4 (dotted decimal) or IPv6 address"));
  }
  IpRange range{*base, 0};
  const bool digits =
      !length.empty() && length.size() <= 3 &&
      std::all_of(length.begin(), length.end(),
                  [](char c) { return absl::ascii_isdigit(c); });
  if (!digits || !absl::SimpleAtoi(Av(length), &range.prefix) ||
      range.prefix > base->bits()) {
    return absl::InvalidArgumentError(absl::StrCat(
        quoted, ": the prefix length must be 0..", base->bits()));
  }
  IpRange network{IpAddress{base->v6, {}}, range.prefix};
  for (int bit = 0; bit < range.prefix; ++bit) {
    const uint8_t mask = static_cast<uint8_t>(0x80 >> (bit % 8));
    network.base.bytes[bit / 8] |= base->bytes[bit / 8] & mask;
  }
  if (!(network.base == range.base)) {
    return absl::InvalidArgumentError(
        absl::StrCat(quoted, ": bits are set after the prefix; did you mean ",
                     network.ToString(), "?"));
  }
  return range;
}

absl::StatusOr<std::vector<IpRange>> ParseCidrList(std::string_view list) {
  std::vector<IpRange> out;
  if (absl::StripAsciiWhitespace(Av(list)).empty()) return out;
  for (absl::string_view item : absl::StrSplit(Av(list), ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (item.empty()) {
      return absl::InvalidArgumentError(
          "an empty item; separate ranges with single commas");
    }
    auto range = ParseCidr(std::string_view(item.data(), item.size()));
    if (!range.ok()) return range.status();
    out.push_back(*range);
  }
  return out;
}

std::optional<std::string> DefaultDeniedRange(const IpAddress& a) {
  for (const NamedRange& r : DeniedRanges()) {
    if (r.range.Contains(a)) return r.what;
  }
  if (auto v4 = a.EmbeddedV4()) {
    if (auto why = DefaultDeniedRange(*v4)) {
      return absl::StrCat(*why, " in IPv6 form");
    }
  }
  return std::nullopt;
}

std::string HttpUrl::Origin() const {
  return absl::StrCat(scheme, "://", host, ":", port);
}

absl::StatusOr<HttpUrl> ParseHttpUrl(std::string_view url) {
  for (unsigned char c : url) {
    if (c < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError("URL contains a control character");
    }
  }
  std::unique_ptr<CURLU, void (*)(CURLU*)> u(curl_url(), curl_url_cleanup);
  if (u == nullptr) return absl::InternalError("curl_url failed");
  const CURLUcode rc =
      curl_url_set(u.get(), CURLUPART_URL, std::string(url).c_str(), 0);
  if (rc != CURLUE_OK) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a valid URL: ", curl_url_strerror(rc)));
  }
  CurlString scheme, host, port;
  if (curl_url_get(u.get(), CURLUPART_SCHEME, &scheme.p, 0) != CURLUE_OK ||
      curl_url_get(u.get(), CURLUPART_HOST, &host.p, 0) != CURLUE_OK ||
      curl_url_get(u.get(), CURLUPART_PORT, &port.p, CURLU_DEFAULT_PORT) !=
          CURLUE_OK) {
    return absl::InvalidArgumentError("not a valid URL: no host");
  }
  HttpUrl out;
  out.scheme = absl::AsciiStrToLower(scheme.str());
  out.host = absl::AsciiStrToLower(host.str());
  if (out.scheme != "http" && out.scheme != "https") {
    return absl::InvalidArgumentError("only http and https URLs are supported");
  }
  if (out.host.empty() || !absl::SimpleAtoi(port.str(), &out.port)) {
    return absl::InvalidArgumentError("not a valid URL: no host");
  }
  return out;
}

std::optional<std::string> OutboundPolicy::Refusal(const IpAddress& a,
                                                   int port) const {
  const std::optional<IpAddress> v4 = a.EmbeddedV4();
  auto in = [&](const IpRange& r) {
    return r.Contains(a) || (v4.has_value() && r.Contains(*v4));
  };
  {
    absl::MutexLock lock(&mutex_);
    for (const auto& [range, own_port] : own_) {
      if (own_port == port && in(range)) {
        return std::string("this server's own address and port");
      }
    }
  }
  for (const IpRange& r : allow_) {
    if (in(r)) return std::nullopt;
  }
  return DefaultDeniedRange(a);
}

void OutboundPolicy::DenyListeningAddress(std::string_view host_port) {
  std::string host;
  std::string_view port_text;
  if (absl::StartsWith(Av(host_port), "[")) {
    const size_t close = host_port.find("]:");
    if (close == std::string_view::npos) return;
    host = std::string(host_port.substr(0, close + 1));
    port_text = host_port.substr(close + 2);
  } else {
    const size_t colon = host_port.rfind(':');
    if (colon == std::string_view::npos) return;
    host = std::string(host_port.substr(0, colon));
    port_text = host_port.substr(colon + 1);
  }
  int port = 0;
  if (!absl::SimpleAtoi(Av(port_text), &port) || port <= 0) return;
  std::vector<IpRange> addresses;
  if (std::optional<IpAddress> a = ParseIpLiteral(host)) {
    const bool unspecified = a->bytes == std::array<uint8_t, 16>{};
    if (unspecified) {
      addresses = LocalAddresses();
    } else {
      addresses.push_back({*a, a->bits()});
    }
  } else {
    addresses = Resolve(host);  // "localhost:50051", "unix:..." (none)
  }
  absl::MutexLock lock(&mutex_);
  for (const IpRange& r : addresses) own_.emplace_back(r, port);
}

absl::Status OutboundPolicy::CheckUrl(std::string_view url,
                                      std::string_view field) const {
  absl::StatusOr<HttpUrl> parsed = ParseHttpUrl(url);
  if (!parsed.ok()) return Invalid(field, Sv(parsed.status().message()));
  const std::optional<IpAddress> literal = ParseIpLiteral(parsed->host);
  if (!literal.has_value()) return absl::OkStatus();
  if (std::optional<std::string> why = Refusal(*literal, parsed->port)) {
    return Invalid(field,
                   absl::StrCat("the host ", parsed->host, " is ", *why,
                                "; the server does not send requests there "
                                "(an operator can open ranges with "
                                "--outbound-allow)"));
  }
  return absl::OkStatus();
}

}  // namespace opinia::core
