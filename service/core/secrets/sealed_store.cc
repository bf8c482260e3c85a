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

// A column that holds sealed values: its rows are "{table}/{id}" in
// errors, and `context` binds a value to its row.
struct SealedColumn {
  std::string_view table;
  std::string (*context)(std::string_view tenant_id, int64_t id);

  std::string RowName(int64_t id) const {
    return absl::StrCat(Av(table), "/", id);
  }
  // Opens `sealed`, the value of row (tenant_id, id), naming the row in the
  // error.
  absl::StatusOr<std::string> Open(const SecretBox& box,
                                   std::string_view tenant_id, int64_t id,
                                   std::string_view sealed) const {
    auto opened = box.Open(sealed, context(tenant_id, id));
    if (!opened.ok()) {
      return absl::Status(opened.status().code(),
                          absl::StrCat(RowName(id), ": ",
                                       opened.status().message()));
    }
    return opened;
  }
};

const SealedColumn kWebhookSecret{"webhooks", WebhookSecretContext};
const SealedColumn kCollectorSpec{"collectors", CollectorSpecContext};

// A part of a transaction (WebhookTxn, CollectorTxn) that seals what it
// writes to the member `kValue` of its rows, stored in `kColumn`, and opens
// what it reads, over the backend's `inner`.
template <typename Part, typename Row, const SealedColumn& kColumn,
          std::string Row::*kValue>
class Sealing : public Part {
 public:
  Sealing(Part& inner, const SecretBox& box) : inner_(inner), box_(box) {}

 protected:
  std::string Seal(std::string_view tenant_id, int64_t id,
                   std::string_view plain) const {
    return box_.Seal(plain, kColumn.context(tenant_id, id));
  }
  absl::StatusOr<Row> Opened(absl::StatusOr<Row> row) const {
    if (row.ok()) {
      RETURN_IF_ERROR(Open(*row));
    }
    return row;
  }
  absl::StatusOr<std::vector<Row>> Opened(
      absl::StatusOr<std::vector<Row>> rows) const {
    if (rows.ok()) {
      for (Row& row : *rows) RETURN_IF_ERROR(Open(row));
    }
    return rows;
  }
  // The id is part of the context, so a new row goes in with an empty
  // value (`insert`) and then gets its sealed one in the same transaction
  // (`write`, given the row with its id).
  template <typename Write>
  absl::StatusOr<int64_t> InsertThenSeal(
      const Row& row, absl::StatusOr<int64_t> (Part::*insert)(const Row&),
      Write write) {
    Row empty = row;
    (empty.*kValue).clear();
    Row inserted = row;
    ASSIGN_OR_RETURN(inserted.id, (inner_.*insert)(empty));
    RETURN_IF_ERROR(write(inserted));
    return inserted.id;
  }

  Part& inner_;

 private:
  absl::Status Open(Row& row) const {
    ASSIGN_OR_RETURN(row.*kValue, kColumn.Open(box_, row.tenant_id, row.id,
                                               row.*kValue));
    return absl::OkStatus();
  }

  const SecretBox& box_;
};

class SealedWebhooks final
    : public Sealing<storage::WebhookTxn, WebhookRow, kWebhookSecret,
                     &WebhookRow::secret> {
 public:
  using Sealing::Sealing;

  absl::StatusOr<int64_t> InsertWebhook(const WebhookRow& row) override {
    return InsertThenSeal(row, &storage::WebhookTxn::InsertWebhook,
                          [this](const WebhookRow& inserted) {
                            return SetWebhookSecret(inserted.tenant_id,
                                                    inserted.id,
                                                    inserted.secret);
                          });
  }
  absl::StatusOr<WebhookRow> GetWebhook(std::string_view tenant_id,
                                        int64_t id) override {
    return Opened(inner_.GetWebhook(tenant_id, id));
  }
  absl::StatusOr<std::vector<WebhookRow>> ListWebhooks(
      std::string_view tenant_id, int64_t after_id, int limit) override {
    return Opened(inner_.ListWebhooks(tenant_id, after_id, limit));
  }
  absl::StatusOr<int64_t> CountWebhooks(std::string_view tenant_id) override {
    return inner_.CountWebhooks(tenant_id);
  }
  absl::StatusOr<std::vector<WebhookRow>> ListAllWebhooks(int64_t after_id,
                                                          int limit) override {
    return Opened(inner_.ListAllWebhooks(after_id, limit));
  }
  absl::Status DeleteWebhook(std::string_view tenant_id, int64_t id) override {
    return inner_.DeleteWebhook(tenant_id, id);
  }
  absl::Status SetWebhookCursor(int64_t id, int64_t cursor) override {
    return inner_.SetWebhookCursor(id, cursor);
  }
  absl::Status SetWebhookSecret(std::string_view tenant_id, int64_t id,
                                std::string_view secret) override {
    return inner_.SetWebhookSecret(tenant_id, id,
                                   Seal(tenant_id, id, secret));
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

class SealedCollectors final
    : public Sealing<storage::CollectorTxn, CollectorRow, kCollectorSpec,
                     &CollectorRow::spec> {
 public:
  using Sealing::Sealing;

  absl::StatusOr<int64_t> InsertCollector(const CollectorRow& row) override {
    return InsertThenSeal(
        row, &storage::CollectorTxn::InsertCollector,
        [this](const CollectorRow& inserted) {
          return UpdateCollector(inserted);
        });
  }
  absl::StatusOr<CollectorRow> GetCollector(std::string_view tenant_id,
                                            int64_t id) override {
    return Opened(inner_.GetCollector(tenant_id, id));
  }
  absl::StatusOr<std::vector<CollectorRow>> ListCollectors(
      std::string_view tenant_id, int64_t after_id, int limit) override {
    return Opened(inner_.ListCollectors(tenant_id, after_id, limit));
  }
  absl::StatusOr<int64_t> CountCollectors(
      std::string_view tenant_id) override {
    return inner_.CountCollectors(tenant_id);
  }
  absl::StatusOr<std::vector<CollectorRow>> ListDueCollectors(
      absl::Time now, int limit) override {
    return Opened(inner_.ListDueCollectors(now, limit));
  }
  absl::StatusOr<std::vector<CollectorRow>> ListDueCollectorsExcept(
      absl::Time now, int limit, const std::vector<int64_t>& skip) override {
    return Opened(inner_.ListDueCollectorsExcept(now, limit, skip));
  }
  absl::Status UpdateCollector(const CollectorRow& row) override {
    CollectorRow sealed = row;
    sealed.spec = Seal(row.tenant_id, row.id, row.spec);
    return inner_.UpdateCollector(sealed);
  }
  absl::Status DeleteCollector(std::string_view tenant_id,
                               int64_t id) override {
    return inner_.DeleteCollector(tenant_id, id);
  }
};

// Forwards every call (leases and notifications too); webhooks() and
// collectors() seal and open.
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
  storage::LeaseTxn& leases() override { return inner_.leases(); }
  storage::ReplyTxn& replies() override { return inner_.replies(); }
  absl::Status NotifyTenant(std::string_view tenant_id) override {
    return inner_.NotifyTenant(tenant_id);
  }

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
  void SetTenantListener(TenantListener listener) override {
    inner_->SetTenantListener(std::move(listener));
  }

 private:
  std::unique_ptr<Store> inner_;
  std::shared_ptr<const SecretBox> box_;
};

// One stored secret as the backend holds it.
struct StoredSecret {
  const SealedColumn* column = nullptr;  // kWebhookSecret or kCollectorSpec
  std::string tenant_id;
  int64_t id = 0;
  std::string value;

  std::string name() const { return column->RowName(id); }
  std::string context() const { return column->context(tenant_id, id); }
};

using PageFn = std::function<absl::Status(std::vector<StoredSecret>&)>;
// The stored secrets of the rows with ids after `after`, a page of them.
using ReadPageFn = std::function<absl::StatusOr<std::vector<StoredSecret>>(
    Txn& txn, int64_t after)>;

// Calls `fn` with each page that `read` returns, each page read in its own
// read transaction, until a page is empty.
absl::Status ForEachPage(Store& store, const ReadPageFn& read,
                         const PageFn& fn) {
  for (int64_t after = 0;;) {
    std::vector<StoredSecret> page;
    RETURN_IF_ERROR(store.Read([&](Txn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(page, read(txn, after));
      return absl::OkStatus();
    }));
    if (page.empty()) return absl::OkStatus();
    after = page.back().id;
    RETURN_IF_ERROR(fn(page));
  }
}

// The value of `column` in each of `rows` (the member `value`).
template <typename Row>
absl::StatusOr<std::vector<StoredSecret>> StoredSecrets(
    absl::StatusOr<std::vector<Row>> rows, const SealedColumn& column,
    std::string Row::*value) {
  if (!rows.ok()) return rows.status();
  std::vector<StoredSecret> secrets;
  for (Row& row : *rows) {
    secrets.push_back(
        {&column, row.tenant_id, row.id, std::move(row.*value)});
  }
  return secrets;
}

// Calls `fn` with each page of stored secrets (webhooks, then each
// tenant's collectors), each page read in its own read transaction.
absl::Status ForEachSecretPage(Store& store, const PageFn& fn) {
  RETURN_IF_ERROR(ForEachPage(
      store,
      [](Txn& txn, int64_t after) {
        return StoredSecrets(txn.webhooks().ListAllWebhooks(after, kPage),
                             kWebhookSecret, &WebhookRow::secret);
      },
      fn));
  for (std::string after_tenant;;) {
    std::vector<storage::TenantRow> tenants;
    RETURN_IF_ERROR(store.Read([&](Txn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(tenants, txn.ListTenants(after_tenant, kPage));
      return absl::OkStatus();
    }));
    if (tenants.empty()) break;
    after_tenant = tenants.back().id;
    for (const storage::TenantRow& tenant : tenants) {
      RETURN_IF_ERROR(ForEachPage(
          store,
          [&tenant](Txn& txn, int64_t after) {
            return StoredSecrets(
                txn.collectors().ListCollectors(tenant.id, after, kPage),
                kCollectorSpec, &CollectorRow::spec);
          },
          fn));
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
      if (was->column == &kWebhookSecret) {
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
                           s.column->Open(box, s.tenant_id, s.id, s.value));
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
