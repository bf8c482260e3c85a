#include "service/core/secrets/sealed_store.h"

#include <functional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "service/core/util/absl_sv.h"
#include "util/status_macros.h"

namespace opinia::core {
namespace {

using storage::CollectorRow;
using storage::Store;
using storage::Txn;
using storage::WebhookRow;

constexpr int kPage = 200;

std::string Context(std::string_view column, std::string_view tenant_id,
                    int64_t id) {
  std::string c(column);
  c.push_back('\0');
  c.append(tenant_id);
  c.push_back('\0');
  absl::StrAppend(&c, id);
  return c;
}

// Opens a stored value, naming the row in the error.
absl::StatusOr<std::string> OpenNamed(const SecretBox& box,
                                      std::string_view sealed,
                                      std::string_view context,
                                      std::string_view name) {
  auto opened = box.Open(sealed, context);
  if (!opened.ok()) {
    return absl::Status(opened.status().code(),
                        absl::StrCat(Av(name), ": ", opened.status().message()));
  }
  return opened;
}

std::string WebhookRowName(int64_t id) { return absl::StrCat("webhooks/", id); }
std::string CollectorRowName(int64_t id) {
  return absl::StrCat("collectors/", id);
}

absl::Status OpenWebhook(const SecretBox& box, WebhookRow& row) {
  ASSIGN_OR_RETURN(row.secret,
                   OpenNamed(box, row.secret,
                             WebhookSecretContext(row.tenant_id, row.id),
                             WebhookRowName(row.id)));
  return absl::OkStatus();
}

absl::Status OpenCollector(const SecretBox& box, CollectorRow& row) {
  ASSIGN_OR_RETURN(row.spec,
                   OpenNamed(box, row.spec,
                             CollectorSpecContext(row.tenant_id, row.id),
                             CollectorRowName(row.id)));
  return absl::OkStatus();
}

template <typename Row>
absl::StatusOr<std::vector<Row>> OpenAll(
    absl::StatusOr<std::vector<Row>> rows, const SecretBox& box,
    absl::Status (*open)(const SecretBox&, Row&)) {
  if (!rows.ok()) return rows;
  for (Row& row : *rows) RETURN_IF_ERROR(open(box, row));
  return rows;
}

template <typename Row>
absl::StatusOr<Row> OpenOne(absl::StatusOr<Row> row, const SecretBox& box,
                            absl::Status (*open)(const SecretBox&, Row&)) {
  if (!row.ok()) return row;
  RETURN_IF_ERROR(open(box, *row));
  return row;
}

// A part of a transaction (WebhookTxn, CollectorTxn) that seals what it
// writes and opens what it reads, over the backend's `inner`.
template <typename Part>
class Sealing : public Part {
 public:
  Sealing(Part& inner, const SecretBox& box) : inner_(inner), box_(box) {}

 protected:
  Part& inner_;
  const SecretBox& box_;
};

class SealedWebhooks final : public Sealing<storage::WebhookTxn> {
 public:
  using Sealing::Sealing;

  // The id is part of the context, so the row goes in with an empty
  // secret and gets its sealed one in the same transaction.
  absl::StatusOr<int64_t> InsertWebhook(const WebhookRow& row) override {
    WebhookRow unsealed = row;
    unsealed.secret.clear();
    ASSIGN_OR_RETURN(const int64_t id, inner_.InsertWebhook(unsealed));
    RETURN_IF_ERROR(SetWebhookSecret(row.tenant_id, id, row.secret));
    return id;
  }
  absl::StatusOr<WebhookRow> GetWebhook(std::string_view tenant_id,
                                        int64_t id) override {
    return OpenOne(inner_.GetWebhook(tenant_id, id), box_, OpenWebhook);
  }
  absl::StatusOr<std::vector<WebhookRow>> ListWebhooks(
      std::string_view tenant_id, int64_t after_id, int limit) override {
    return OpenAll(inner_.ListWebhooks(tenant_id, after_id, limit), box_,
                   OpenWebhook);
  }
  absl::StatusOr<std::vector<WebhookRow>> ListAllWebhooks(int64_t after_id,
                                                          int limit) override {
    return OpenAll(inner_.ListAllWebhooks(after_id, limit), box_, OpenWebhook);
  }
  absl::Status DeleteWebhook(std::string_view tenant_id, int64_t id) override {
    return inner_.DeleteWebhook(tenant_id, id);
  }
  absl::Status SetWebhookCursor(int64_t id, int64_t cursor) override {
    return inner_.SetWebhookCursor(id, cursor);
  }
  absl::Status SetWebhookSecret(std::string_view tenant_id, int64_t id,
                                std::string_view secret) override {
    return inner_.SetWebhookSecret(
        tenant_id, id,
        box_.Seal(secret, WebhookSecretContext(tenant_id, id)));
  }

  absl::StatusOr<int64_t> InsertDelivery(
      const storage::DeliveryRow& row) override {
    return inner_.InsertDelivery(row);
  }
  absl::StatusOr<std::optional<int64_t>> InsertDeliveryIfAbsent(
      const storage::DeliveryRow& row) override {
    return inner_.InsertDeliveryIfAbsent(row);
  }
  absl::StatusOr<storage::DeliveryRow> GetDelivery(int64_t id) override {
    return inner_.GetDelivery(id);
  }
  absl::Status UpdateDelivery(const storage::DeliveryRow& row) override {
    return inner_.UpdateDelivery(row);
  }
  absl::StatusOr<std::vector<storage::DeliveryRow>> ListDueDeliveries(
      absl::Time now, int limit) override {
    return inner_.ListDueDeliveries(now, limit);
  }
  absl::StatusOr<std::vector<storage::DeliveryRow>> ListDueDeliveriesExcept(
      absl::Time now, int limit, const std::vector<int64_t>& skip_webhooks) override {
    return inner_.ListDueDeliveriesExcept(now, limit, skip_webhooks);
  }
  absl::StatusOr<std::vector<storage::DeliveryRow>> ListDeliveries(
      int64_t webhook_id, int64_t after_id, int limit) override {
    return inner_.ListDeliveries(webhook_id, after_id, limit);
  }
  absl::StatusOr<storage::DeliveryStats> GetDeliveryStats(
      int64_t webhook_id) override {
    return inner_.GetDeliveryStats(webhook_id);
  }
};

class SealedCollectors final : public Sealing<storage::CollectorTxn> {
 public:
  using Sealing::Sealing;

  // As for webhooks: in with an empty spec, then the sealed one.
  absl::StatusOr<int64_t> InsertCollector(const CollectorRow& row) override {
    CollectorRow sealed = row;
    sealed.spec.clear();
    ASSIGN_OR_RETURN(sealed.id, inner_.InsertCollector(sealed));
    sealed.spec = row.spec;
    RETURN_IF_ERROR(UpdateCollector(sealed));
    return sealed.id;
  }
  absl::StatusOr<CollectorRow> GetCollector(std::string_view tenant_id,
                                            int64_t id) override {
    return OpenOne(inner_.GetCollector(tenant_id, id), box_, OpenCollector);
  }
  absl::StatusOr<std::vector<CollectorRow>> ListCollectors(
      std::string_view tenant_id, int64_t after_id, int limit) override {
    return OpenAll(inner_.ListCollectors(tenant_id, after_id, limit), box_,
                   OpenCollector);
  }
  absl::StatusOr<std::vector<CollectorRow>> ListDueCollectors(
      absl::Time now, int limit) override {
    return OpenAll(inner_.ListDueCollectors(now, limit), box_, OpenCollector);
  }
  absl::StatusOr<std::vector<CollectorRow>> ListDueCollectorsExcept(
      absl::Time now, int limit, const std::vector<int64_t>& skip) override {
    return OpenAll(inner_.ListDueCollectorsExcept(now, limit, skip), box_,
                   OpenCollector);
  }
  absl::Status UpdateCollector(const CollectorRow& row) override {
    CollectorRow sealed = row;
    sealed.spec =
        box_.Seal(row.spec, CollectorSpecContext(row.tenant_id, row.id));
    return inner_.UpdateCollector(sealed);
  }
  absl::Status DeleteCollector(std::string_view tenant_id,
                               int64_t id) override {
    return inner_.DeleteCollector(tenant_id, id);
  }
};

// Forwards every call; webhooks() and collectors() seal and open.
class SealedTxn final : public Txn {
 public:
  SealedTxn(Txn& inner, const SecretBox& box)
      : inner_(inner),
        webhooks_(inner.webhooks(), box),
        collectors_(inner.collectors(), box) {}

  absl::Status InsertTenant(const storage::TenantRow& row) override {
    return inner_.InsertTenant(row);
  }
  absl::StatusOr<storage::TenantRow> GetTenant(std::string_view id) override {
    return inner_.GetTenant(id);
  }
  absl::StatusOr<std::vector<storage::TenantRow>> ListTenants(
      std::string_view after_id, int limit) override {
    return inner_.ListTenants(after_id, limit);
  }
  absl::Status InsertApiKey(const storage::ApiKeyRow& row) override {
    return inner_.InsertApiKey(row);
  }
  absl::StatusOr<storage::ApiKeyRow> GetApiKey(std::string_view id) override {
    return inner_.GetApiKey(id);
  }
  absl::StatusOr<storage::ApiKeyRow> GetApiKeyByHash(
      std::string_view secret_hash) override {
    return inner_.GetApiKeyByHash(secret_hash);
  }
  absl::StatusOr<std::vector<storage::ApiKeyRow>> ListApiKeys(
      std::optional<std::string_view> tenant_id, std::string_view after_id,
      int limit) override {
    return inner_.ListApiKeys(tenant_id, after_id, limit);
  }
  absl::Status RevokeApiKey(std::string_view id) override {
    return inner_.RevokeApiKey(id);
  }
  absl::StatusOr<int64_t> CountApiKeys() override {
    return inner_.CountApiKeys();
  }
  absl::StatusOr<std::optional<storage::ReviewRow>> FindReview(
      std::string_view tenant_id, std::string_view source,
      std::string_view external_id) override {
    return inner_.FindReview(tenant_id, source, external_id);
  }
  absl::StatusOr<storage::ReviewRow> GetReview(std::string_view tenant_id,
                                               int64_t id) override {
    return inner_.GetReview(tenant_id, id);
  }
  absl::StatusOr<int64_t> InsertReview(const storage::ReviewRow& row) override {
    return inner_.InsertReview(row);
  }
  absl::StatusOr<storage::InsertOrFindResult> InsertOrFindReview(
      const storage::ReviewRow& row) override {
    return inner_.InsertOrFindReview(row);
  }
  absl::Status UpdateReview(const storage::ReviewRow& row) override {
    return inner_.UpdateReview(row);
  }
  absl::StatusOr<std::vector<storage::ReviewRow>> ListReviews(
      std::string_view tenant_id, const storage::ReviewFilter& filter,
      const std::optional<storage::ReviewCursor>& after, int limit) override {
    return inner_.ListReviews(tenant_id, filter, after, limit);
  }
  absl::StatusOr<int64_t> CountReviews(
      std::string_view tenant_id, const storage::ReviewFilter& filter) override {
    return inner_.CountReviews(tenant_id, filter);
  }
  absl::StatusOr<int64_t> InsertAudit(const storage::AuditRow& row) override {
    return inner_.InsertAudit(row);
  }
  absl::StatusOr<std::vector<storage::AuditRow>> ListAudit(
      std::string_view tenant_id, std::string_view target) override {
    return inner_.ListAudit(tenant_id, target);
  }
  storage::AlertTxn& alerts() override { return inner_.alerts(); }
  storage::WebhookTxn& webhooks() override { return webhooks_; }
  storage::InsightsTxn& insights() override { return inner_.insights(); }
  storage::CollectorTxn& collectors() override { return collectors_; }

 private:
  Txn& inner_;
  SealedWebhooks webhooks_;
  SealedCollectors collectors_;
};

class SealedStore final : public Store {
 public:
  SealedStore(std::unique_ptr<Store> inner,
              std::shared_ptr<const SecretBox> box)
      : inner_(std::move(inner)), box_(std::move(box)) {}

  absl::Status Write(const TxnFn& fn) override {
    return inner_->Write([&](Txn& txn) {
      SealedTxn sealed(txn, *box_);
      return fn(sealed);
    });
  }
  absl::Status Read(const TxnFn& fn) override {
    return inner_->Read([&](Txn& txn) {
      SealedTxn sealed(txn, *box_);
      return fn(sealed);
    });
  }
  const std::string& ServerSecret() const override {
    return inner_->ServerSecret();
  }
  storage::StoreStats Stats() override { return inner_->Stats(); }

 private:
  std::unique_ptr<Store> inner_;
  std::shared_ptr<const SecretBox> box_;
};

// One stored secret as the backend holds it.
struct StoredSecret {
  bool webhook = false;  // else a collector spec
  std::string tenant_id;
  int64_t id = 0;
  std::string value;

  std::string name() const {
    return webhook ? WebhookRowName(id) : CollectorRowName(id);
  }
  std::string context() const {
    return webhook ? WebhookSecretContext(tenant_id, id)
                   : CollectorSpecContext(tenant_id, id);
  }
};

using PageFn = std::function<absl::Status(std::vector<StoredSecret>&)>;

// Calls `fn` with each page of stored secrets (webhooks, then each
// tenant's collectors), each page read in its own read transaction.
absl::Status ForEachSecretPage(Store& store, const PageFn& fn) {
  std::vector<StoredSecret> page;
  for (int64_t after = 0;;) {
    page.clear();
    RETURN_IF_ERROR(store.Read([&](Txn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(auto rows, txn.webhooks().ListAllWebhooks(after, kPage));
      for (WebhookRow& w : rows) {
        page.push_back({true, w.tenant_id, w.id, std::move(w.secret)});
      }
      return absl::OkStatus();
    }));
    if (page.empty()) break;
    after = page.back().id;
    RETURN_IF_ERROR(fn(page));
  }
  for (std::string after_tenant;;) {
    std::vector<storage::TenantRow> tenants;
    RETURN_IF_ERROR(store.Read([&](Txn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(tenants, txn.ListTenants(after_tenant, kPage));
      return absl::OkStatus();
    }));
    if (tenants.empty()) break;
    after_tenant = tenants.back().id;
    for (const storage::TenantRow& tenant : tenants) {
      for (int64_t after = 0;;) {
        page.clear();
        RETURN_IF_ERROR(store.Read([&](Txn& txn) -> absl::Status {
          ASSIGN_OR_RETURN(auto rows, txn.collectors().ListCollectors(
                                          tenant.id, after, kPage));
          for (CollectorRow& c : rows) {
            page.push_back({false, c.tenant_id, c.id, std::move(c.spec)});
          }
          return absl::OkStatus();
        }));
        if (page.empty()) break;
        after = page.back().id;
        RETURN_IF_ERROR(fn(page));
      }
    }
  }
  return absl::OkStatus();
}

// Stores `sealed` in place of `was` (the value read before), in one write
// transaction for the page; FAILED_PRECONDITION when a row changed since.
absl::Status ReplaceSecrets(
    Store& store,
    const std::vector<std::pair<const StoredSecret*, std::string>>& changes) {
  if (changes.empty()) return absl::OkStatus();
  return store.Write([&](Txn& txn) -> absl::Status {
    for (const auto& [was, sealed] : changes) {
      const absl::Status changed = absl::FailedPreconditionError(absl::StrCat(
          was->name(),
          " changed while its secret was being sealed: is another server "
          "running on this database?"));
      if (was->webhook) {
        ASSIGN_OR_RETURN(WebhookRow row,
                         txn.webhooks().GetWebhook(was->tenant_id, was->id));
        if (row.secret != was->value) return changed;
        RETURN_IF_ERROR(
            txn.webhooks().SetWebhookSecret(was->tenant_id, was->id, sealed));
      } else {
        ASSIGN_OR_RETURN(CollectorRow row, txn.collectors().GetCollector(
                                               was->tenant_id, was->id));
        if (row.spec != was->value) return changed;
        row.spec = sealed;
        RETURN_IF_ERROR(txn.collectors().UpdateCollector(row));
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace

std::string WebhookSecretContext(std::string_view tenant_id, int64_t id) {
  return Context("webhooks.secret", tenant_id, id);
}

std::string CollectorSpecContext(std::string_view tenant_id, int64_t id) {
  return Context("collectors.spec", tenant_id, id);
}

std::unique_ptr<Store> NewSealedStore(std::unique_ptr<Store> inner,
                                      std::shared_ptr<const SecretBox> box) {
  return std::make_unique<SealedStore>(std::move(inner), std::move(box));
}

absl::StatusOr<SealReport> SealStoredSecrets(Store& store,
                                             const SecretBox& box) {
  SealReport report;
  RETURN_IF_ERROR(ForEachSecretPage(
      store, [&](std::vector<StoredSecret>& page) -> absl::Status {
        std::vector<std::pair<const StoredSecret*, std::string>> changes;
        SealReport counts;
        for (const StoredSecret& s : page) {
          const std::optional<uint8_t> key = SecretBox::SealedKeyId(s.value);
          if (!key.has_value()) {
            changes.emplace_back(&s, box.Seal(s.value, s.context()));
            ++counts.sealed;
            continue;
          }
          ASSIGN_OR_RETURN(std::string plain,
                           OpenNamed(box, s.value, s.context(), s.name()));
          if (*key == box.key_id()) {
            ++counts.current;
          } else {
            changes.emplace_back(&s, box.Seal(plain, s.context()));
            ++counts.resealed;
          }
        }
        RETURN_IF_ERROR(ReplaceSecrets(store, changes));
        report.sealed += counts.sealed;
        report.resealed += counts.resealed;
        report.current += counts.current;
        return absl::OkStatus();
      }));
  return report;
}

absl::StatusOr<std::optional<uint8_t>> FindSealedKeyId(Store& store) {
  std::optional<uint8_t> found;
  RETURN_IF_ERROR(ForEachSecretPage(
      store, [&](std::vector<StoredSecret>& page) -> absl::Status {
        for (const StoredSecret& s : page) {
          if (!found.has_value()) found = SecretBox::SealedKeyId(s.value);
        }
        return absl::OkStatus();
      }));
  return found;
}

}  // namespace opinia::core
