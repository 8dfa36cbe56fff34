#pragma once

// A panel whose calls the test answers by hand, on its own thread: the probe's seam
// (`probe_panel`) without HTTP, so that probe tests run on the deterministic scheduler.

#include "common/panel/probe_panel.hpp"

#include <deque>
#include <functional>
#include <string>

namespace fleet::test {

class scripted_panel final : public probe_panel {
public:
  struct place_call {
    std::optional<placement_target> target;
    bool verify = false;
    std::vector<client_order> orders;
    panel_callback<placement_outcome> done;
  };

  /// A client operation other than an addition: what it was and how to answer it.
  struct op_call {
    std::string what;
    std::string email;
    /// Answers with the panel's success (a fixed result per operation).
    std::function<void()> succeed;
    std::function<void(caf::error)> fail;
  };

  std::deque<std::function<void(health_report)>> checks;
  std::deque<place_call> places;
  std::deque<op_call> ops;

  void check(std::function<void(health_report)> done) override {
    checks.push_back(std::move(done));
  }

  void place(std::optional<placement_target> target, bool verify, std::vector<client_order> orders,
             panel_callback<placement_outcome> done) override {
    places.push_back({std::move(target), verify, std::move(orders), std::move(done)});
  }

  void locate(std::string email, panel_callback<int64_t> done) override {
    record("locate", std::move(email), std::move(done), int64_t{7});
  }

  void amend(client_order order, panel_callback<int64_t> done) override {
    record("amend", order.email, std::move(done), int64_t{9});
  }

  void remove(std::string email, panel_callback<bool> done) override {
    record("remove", std::move(email), std::move(done), true);
  }

  void usage(std::string email, panel_callback<client_usage> done) override {
    client_usage u;
    u.inbound_id = 4;
    u.up = 100;
    u.down = 200;
    record("usage", std::move(email), std::move(done), u);
  }

  void inventory(panel_callback<std::vector<panel_entry>> done) override {
    record("inventory", "", std::move(done), std::vector<panel_entry>{{"u1", 4, "key", true}});
  }

  /// Answers the oldest check with `verdict`.
  void answer_check(check_verdict verdict, const std::string& error = {}) {
    health_report r;
    r.verdict = verdict;
    r.last_error = error;
    auto done = std::move(checks.front());
    checks.pop_front();
    done(std::move(r));
  }

  /// Answers the oldest addition with `outcome`.
  void answer_place(caf::expected<placement_outcome> outcome) {
    auto call = std::move(places.front());
    places.pop_front();
    call.done(std::move(outcome));
  }

  /// Takes the oldest other operation.
  op_call next_op() {
    auto call = std::move(ops.front());
    ops.pop_front();
    return call;
  }

private:
  template <class T>
  void record(std::string what, std::string email, panel_callback<T> done, T result) {
    ops.push_back({std::move(what), std::move(email), [done, result] { done(result); },
                   [done](caf::error err) { done(std::move(err)); }});
  }
};

} // namespace fleet::test
