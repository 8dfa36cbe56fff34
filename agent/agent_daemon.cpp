#include "agent/agent_daemon.hpp"

#include "agent/agent_actor.hpp"
#include "common/actor_config.hpp"
#include "common/link/link_setup.hpp"
#include "common/logging.hpp"
#include "common/open_files.hpp"
#include "common/stop_signals.hpp"

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include <pthread.h>
#include <thread>

namespace fleet {

int run_agent(const fleet_config& config, uint32_t version) {
  auto log = log_for("agent");
  auto limit = raise_open_file_limit();
  if (limit.after != limit.before)
    log->info("open files: soft limit raised from {} to {}", limit.before, limit.after);
  auto signals = block_stop_signals();
  http_engine engine;
  caf::actor_system_config cfg;
  add_protocol_types(cfg);
  tune_scheduler(cfg);
  configure_link(cfg, config.agent.link);
  int status = 0;
  {
    caf::actor_system sys{cfg};
    auto me = sys.spawn(agent, config, version, link_connector(sys, config.agent.link), &engine);
    log->info("fleet-agent {} running: coordinator {} ({}), protocol {}", config.agent.id,
              config.agent.coordinator, link_kind(config.agent.link), version);
    // A signal ends the agent; the agent ending by itself (refused) wakes the signal thread.
    std::thread signal_thread{[&] {
      int sig = 0;
      sigwait(&signals, &sig);
      caf::anon_send_exit(me, caf::exit_reason::user_shutdown);
    }};
    {
      caf::scoped_actor self{sys};
      self->monitor(me);
      self->receive([&](const caf::down_msg& down) {
        if (down.reason != caf::exit_reason::user_shutdown) {
          status = 1;
          pthread_kill(signal_thread.native_handle(), SIGTERM);
        } else {
          log->info("shutting down");
        }
      });
    }
    signal_thread.join();
  }
  return status;
}

} // namespace fleet
