#include "coordinator/runtime.hpp"

#include "common/actor_config.hpp"
#include "common/protocol.hpp"
#include "coordinator/coordinator_actor.hpp"
#include "coordinator/coordinator_messages.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

namespace fleet {

runtime::~runtime() {
  stop();
}

caf::error runtime::start(const fleet_config& config, const std::string& data_dir) {
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
  system_ = std::make_unique<caf::actor_system>(*cfg_);
  // The coordinator spawns one linked probe per enabled panel; they end with it.
  coordinator_ = system_->spawn(fleet::coordinator, state, config, engine_.get());
  return caf::none;
}

void runtime::stop() {
  if (coordinator_) {
    caf::anon_send_exit(coordinator_, caf::exit_reason::user_shutdown);
    coordinator_ = nullptr;
  }
  if (feed_)
    feed_->close();
  system_.reset();
  cfg_.reset();
  engine_.reset();
  store_.reset();
}

} // namespace fleet
