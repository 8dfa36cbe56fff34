#include "common/panel/probe_panel.hpp"

#include "common/panel/panel_check.hpp"

#include <algorithm>
#include <functional>
#include <memory>

namespace fleet {

void probe_panel::remove_many(std::vector<std::string> emails, panel_callback<int64_t> done) {
  auto left = std::make_shared<std::vector<std::string>>(std::move(emails));
  auto removed = std::make_shared<int64_t>(0);
  auto next = std::make_shared<std::function<void()>>();
  *next = [this, left, removed, next, done] {
    if (left->empty()) {
      done(*removed);
      *next = nullptr; // ends the cycle of the function holding itself
      return;
    }
    auto email = std::move(left->back());
    left->pop_back();
    remove(std::move(email), [removed, next, done](caf::expected<bool> was_there) {
      if (!was_there) {
        done(std::move(was_there.error()));
        *next = nullptr;
        return;
      }
      *removed += *was_there ? 1 : 0;
      (*next)();
    });
  };
  (*next)();
}

namespace {

/// Sessions that add clients to a gen2 panel at once. Gen2 adds one client per call and
/// locks each inbound itself, so a batch's calls may overlap; classic panels have no lock and
/// get one call at a time. Each extra session logs in by itself when the panel needs a login.
constexpr size_t gen2_add_sessions = 4;

/// Forwards every call to the panel's API functions over one shared client; gen2 additions
/// go over `gen2_add_sessions` clients at once (the extra ones opened at the first such
/// batch: each session holds a connection handle, and most panels never need them).
class http_probe_panel final : public probe_panel {
public:
  http_probe_panel(http_engine& engine, const server_config& server, millis timeout)
      : engine_(engine), endpoint_(panel_endpoint::from(server, timeout)),
        client_(std::make_shared<panel_client>(engine, endpoint_)), inbound_id_(server.inbound_id) {
    adders_.push_back(client_);
  }

  void check(std::function<void(health_report)> done) override {
    run_check(client_, std::move(done));
  }

  void place(std::optional<placement_target> target, bool verify, std::vector<client_order> orders,
             panel_callback<placement_outcome> done) override {
    // The first batch and retries read the inbound list first, on one session.
    if (target && !verify && client_->generation() == api_generation::gen2) {
      while (adders_.size() < std::min(gen2_add_sessions, orders.size()))
        adders_.push_back(std::make_shared<panel_client>(engine_, endpoint_));
      return place_clients_in_parallel(adders_, inbound_id_, *target, std::move(orders),
                                       std::move(done));
    }
    place_clients(client_, inbound_id_, std::move(target), verify, std::move(orders),
                  std::move(done));
  }

  void locate(std::string email, panel_callback<int64_t> done) override {
    locate_client(client_, std::move(email),
                  [done](caf::expected<std::optional<located_client>> found) {
                    if (!found)
                      return done(std::move(found.error()));
                    done(found->has_value() ? (*found)->inbound_id : int64_t{0});
                  });
  }

  void amend(client_order order, panel_callback<int64_t> done) override {
    amend_client(client_, std::move(order), std::move(done));
  }

  void remove(std::string email, panel_callback<bool> done) override {
    remove_client(client_, std::move(email), std::move(done));
  }

  void remove_many(std::vector<std::string> emails, panel_callback<int64_t> done) override {
    remove_clients(client_, std::move(emails), std::move(done));
  }

  void usage(std::string email, panel_callback<client_usage> done) override {
    read_usage(client_, std::move(email), std::move(done));
  }

  void inventory(panel_callback<std::vector<panel_entry>> done) override {
    read_inventory(client_, std::move(done));
  }

private:
  http_engine& engine_;
  /// Holds the panel's credentials: never logged.
  panel_endpoint endpoint_;
  /// Shared with calls in flight, so that it outlives them.
  std::shared_ptr<panel_client> client_;
  /// `client_` and the extra sessions for gen2 additions.
  std::vector<std::shared_ptr<panel_client>> adders_;
  std::optional<int64_t> inbound_id_;
};

} // namespace

std::shared_ptr<probe_panel> make_http_probe_panel(http_engine& engine, const server_config& server,
                                                   millis timeout) {
  return std::make_shared<http_probe_panel>(engine, server, timeout);
}

} // namespace fleet
