#include "coordinator/runtime.hpp"

#include "common/actor_config.hpp"
#include "common/link/link_setup.hpp"
#include "common/logging.hpp"
#include "common/protocol.hpp"
#include "coordinator/agents/agent_gate.hpp"
#include "coordinator/coordinator_actor.hpp"
#include "coordinator/coordinator_messages.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

namespace fleet {

runtime::~runtime() {
  stop();
}

caf::error runtime::start(const fleet_config& config, const std::string& data_dir) {
  const auto& settings = config.coordinator;
  if (!settings.agent_listen.empty())
    if (auto err = check_link_material(settings.agent_link))
      return make_error(ec::invalid_argument, "coordinator.tls: " + message_of(err));
  auto opened = store::open(data_dir);
  if (!opened)
    return std::move(opened.error());
  store_ = std::move(*opened);
  auto state = std::make_shared<coordinator_state>();
  if (auto err = state->init(config, store_.get()))
    return err;
  feed_ = state->feed;
  engine_ = std::make_unique<http_engine>();
  cfg_ = std::make_unique<caf::actor_system_config>();
  add_protocol_types(*cfg_);
  tune_scheduler(*cfg_);
  if (!settings.agent_listen.empty())
    configure_link(*cfg_, settings.agent_link);
  system_ = std::make_unique<caf::actor_system>(*cfg_);
  // The coordinator spawns one linked probe per enabled panel; they end with it.
  coordinator_ = system_->spawn(fleet::coordinator, state, config, engine_.get());
  notify_ = std::make_shared<notifier>(store_.get());
  notify_->start(config, *system_, *store_, feed_, *engine_);
  if (settings.agent_listen.empty())
    return caf::none;
  gate_ = system_->spawn(agent_gate, coordinator_);
  auto port = publish_on_link(*system_, gate_, settings.agent_link, settings.agent_listen);
  if (!port)
    return std::move(port.error());
  agent_port_ = *port;
  log_for("coordinator")
      ->info("agents connect to {}:{} ({})", parse_host_port(settings.agent_listen)->host, *port,
             link_kind(settings.agent_link));
  return caf::none;
}

void runtime::stop() {
  if (notify_) {
    notify_->stop();
    notify_.reset();
  }
  if (gate_) {
    caf::anon_send_exit(gate_, caf::exit_reason::user_shutdown);
    gate_ = nullptr;
  }
  if (coordinator_) {
    caf::anon_send_exit(coordinator_, caf::exit_reason::user_shutdown);
    coordinator_ = nullptr;
  }
  if (feed_)
    feed_->close();
  if (store_)
    store_->on_condition_change({});
  system_.reset();
  cfg_.reset();
  engine_.reset();
  store_.reset();
}

} // namespace fleet
