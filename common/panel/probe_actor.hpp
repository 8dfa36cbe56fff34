#pragma once

#include "common/clock.hpp"
#include "common/config/config.hpp"
#include "common/panel/probe_panel.hpp"
#include "common/protocol.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/local_actor.hpp>

#include <memory>

namespace fleet {

class http_engine;

/// What a probe is started with.
struct probe_setup {
  server_config server;
  management_settings settings;
  /// Where reports go.
  caf::actor coordinator;
  /// The panel's calls; shared with calls in flight.
  std::shared_ptr<probe_panel> panel;
  /// For `checked_at_ms` and the alignment of checks on ticks; must outlive the probe.
  const clock* time = &real_clock();
};

/// The setup of a probe of `server` over HTTP through `engine` (which must outlive the probe).
[[nodiscard]] probe_setup http_probe_setup(const server_config& server, http_engine& engine,
                                           const management_settings& settings,
                                           caf::actor coordinator);

/// Spawns the probe of one panel: it checks the panel on a jittered, state-dependent schedule
/// aligned on ticks (never blocking a scheduler thread: the panel answers on its own thread)
/// and sends every result to the coordinator as `(health_atom, health_report)` (`changed`
/// tells transitions apart from load samples). It answers the requests of `probe_actor`:
/// additions arriving while a call runs are batched into the next call (`max_batch` at
/// most), retryable failures are retried `max_retries` times, `retry_delay * attempt` apart.
/// Client changes that fail in a row are reported as `(health_atom, operations_report)`.
[[nodiscard]] probe_actor spawn_probe(caf::actor_system& sys, probe_setup setup);

/// Like `spawn_probe`, linked to `parent`: the probe ends with it, and a failing probe
/// reaches the parent's exit handler (see `supervise_probes`).
[[nodiscard]] probe_actor spawn_linked_probe(caf::local_actor* parent, probe_setup setup);

} // namespace fleet
