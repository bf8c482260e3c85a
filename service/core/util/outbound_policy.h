// Where the server may send HTTP requests (collectors, webhooks and later
// platform replies): a tenant chooses those URLs, so without a policy a
// tenant could make the server call its own network (loopback services,
// cloud metadata, the LAN) and read the answer back as reviews.
//
// By default an address is refused when it is loopback, private (RFC 1918),
// carrier-grade NAT (100.64/10), link-local (169.254/16 with the cloud
// metadata address, fe80::/10), unique-local (fc00::/7), site-local
// (fec0::/10), multicast, unspecified (0.0.0.0/8, ::), reserved or
// broadcast (240/4), or an IPv6 form that embeds such an IPv4 address
// (::ffff:a.b.c.d, ::a.b.c.d, 64:ff9b::a.b.c.d). The operator opens ranges
// with --outbound-allow (the allow list wins over those ranges). The
// server's own listening address:port pairs are refused always.
//
// The HTTP client (http_client.h) asks the policy about every address it
// is about to connect to, after name resolution and for each address tried,
// so a name that resolves to a refused address (or is rebound to one
// between checks) is never connected to. Creating a collector or webhook
// whose URL host is a refused literal address fails at once (CheckUrl).
#ifndef OPINIA_SERVICE_CORE_UTIL_OUTBOUND_POLICY_H_
#define OPINIA_SERVICE_CORE_UTIL_OUTBOUND_POLICY_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

struct sockaddr;

namespace opinia::core {

// An IPv4 (the first 4 bytes) or IPv6 address.
struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};

  static IpAddress V4(uint32_t host_order);
  // An AF_INET or AF_INET6 socket address; nullopt for other families.
  static std::optional<IpAddress> FromSockaddr(const sockaddr* address);

  int bits() const { return v6 ? 128 : 32; }
  // "127.0.0.1", "::1".
  std::string ToString() const;
  // The IPv4 address an IPv6 address carries (IPv4-mapped ::ffff:0:0/96,
  // IPv4-compatible ::/96 other than :: and ::1, NAT64 64:ff9b::/96).
  std::optional<IpAddress> EmbeddedV4() const;

  bool operator==(const IpAddress& o) const {
    return v6 == o.v6 && bytes == o.bytes;
  }
};

// A URL host as a literal address, the way the resolver reads it: IPv6
// with or without brackets (a zone "%eth0" is ignored), IPv4 in any
// spelling inet_aton(3) accepts (127.1, 2130706433, 0x7f.1, 017700000001),
// one trailing dot allowed. nullopt for a name.
std::optional<IpAddress> ParseIpLiteral(std::string_view host);

// A range "ADDRESS/PREFIX".
struct IpRange {
  IpAddress base;
  int prefix = 0;

  bool Contains(const IpAddress& a) const;
  std::string ToString() const;  // "10.0.0.0/8"
};

// Strict: dotted-decimal IPv4 or IPv6 (inet_pton), "/" and a prefix length
// in range, no bits set after the prefix. INVALID_ARGUMENT saying what is
// wrong.
absl::StatusOr<IpRange> ParseCidr(std::string_view text);
// "CIDR[,CIDR...]" (spaces around items ignored; "" = none); the error
// names the bad item.
absl::StatusOr<std::vector<IpRange>> ParseCidrList(std::string_view list);

// Why `a` is refused by default ("loopback", "private (RFC 1918)", ...);
// nullopt for a public address.
std::optional<std::string> DefaultDeniedRange(const IpAddress& a);

// An http(s) URL as libcurl reads it (libcurl's own URL parser, so the
// host is the one the client will connect to; IPv4 spellings normalised,
// IPv6 in brackets, lowercased).
struct HttpUrl {
  std::string scheme;  // "http" or "https"
  std::string host;
  int port = 0;        // the default port when the URL names none

  std::string Origin() const;  // "https://example.com:443"
  bool SameOrigin(const HttpUrl& o) const {
    return scheme == o.scheme && host == o.host && port == o.port;
  }
};
// INVALID_ARGUMENT when libcurl cannot parse `url` or its scheme is not
// http or https.
absl::StatusOr<HttpUrl> ParseHttpUrl(std::string_view url);

// Thread-safe.
class OutboundPolicy {
 public:
  explicit OutboundPolicy(std::vector<IpRange> allow = {})
      : allow_(std::move(allow)) {}

  // Why a connection to `a`:`port` is refused; nullopt when allowed.
  std::optional<std::string> Refusal(const IpAddress& a, int port) const;
  bool Allows(const IpAddress& a, int port) const {
    return !Refusal(a, port).has_value();
  }

  // Refuses `host_port` ("HOST:PORT", "[V6]:PORT"), an address this
  // server listens on: a literal address, every address of a name, or
  // for 0.0.0.0 / [::] every address of this machine. Other forms
  // (unix:...) are ignored.
  void DenyListeningAddress(std::string_view host_port);

  // For a collector's or webhook's URL at creation: INVALID_ARGUMENT
  // naming `field` when libcurl cannot parse it or its host is a literal
  // address the policy refuses. Names are resolved only when connecting.
  absl::Status CheckUrl(std::string_view url, std::string_view field) const;

  const std::vector<IpRange>& allowed() const { return allow_; }

  OutboundPolicy(const OutboundPolicy&) = delete;
  OutboundPolicy& operator=(const OutboundPolicy&) = delete;

 private:
  const std::vector<IpRange> allow_;
  mutable absl::Mutex mutex_;
  std::vector<std::pair<IpRange, int>> own_ ABSL_GUARDED_BY(mutex_);
};

// The message (and PERMISSION_DENIED status) of a connection the policy
// refused; matches what last_error shows.
inline constexpr char kDestinationNotAllowed[] =
    "destination not allowed";

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_UTIL_OUTBOUND_POLICY_H_
