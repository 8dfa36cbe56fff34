#pragma once

#include "common/duration.hpp"
#include "common/model/server.hpp"
#include "common/panel/panel_operations.hpp"
#include "common/panel/placement.hpp"
#include "common/protocol.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fleet {

class http_engine;

/// The calls a probe makes on its panel: the seam between the probe's decisions (schedule,
/// batching, retries, counting) and the panel's HTTP API. Production uses
/// `make_http_probe_panel`; tests answer the calls by hand.
///
/// Thread-safety: calls come from the probe's actor. Each callback runs exactly once, on any
/// thread (the HTTP engine's I/O thread in production), unless the panel is destroyed first.
class probe_panel {
public:
  virtual ~probe_panel() = default;

  /// One health check (see `run_check`).
  virtual void check(std::function<void(health_report)> done) = 0;

  /// Adds `orders` (see `place_clients`).
  virtual void place(std::optional<placement_target> target, bool verify,
                     std::vector<client_order> orders, panel_callback<placement_outcome> done)
      = 0;

  /// The inbound holding `email`, or 0 when it is not on the panel.
  virtual void locate(std::string email, panel_callback<int64_t> done) = 0;

  /// See `amend_client`.
  virtual void amend(client_order order, panel_callback<int64_t> done) = 0;

  /// See `remove_client`.
  virtual void remove(std::string email, panel_callback<bool> done) = 0;

  /// See `remove_clients`; one `remove` after the other unless a panel does better.
  virtual void remove_many(std::vector<std::string> emails, panel_callback<int64_t> done);

  /// See `read_usage`.
  virtual void usage(std::string email, panel_callback<client_usage> done) = 0;

  /// See `read_inventory`.
  virtual void inventory(panel_callback<std::vector<panel_entry>> done) = 0;
};

/// The panel of `server` over HTTP through `engine` (which must outlive it), with requests
/// timing out after `timeout`.
[[nodiscard]] std::shared_ptr<probe_panel>
make_http_probe_panel(http_engine& engine, const server_config& server, millis timeout);

} // namespace fleet
