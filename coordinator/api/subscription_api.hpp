#pragma once

#include "common/config/config.hpp"
#include "common/error.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <memory>

namespace fleet {

/// The users' subscription endpoint on `coordinator.subscription_listen`, not behind the API
/// token: `GET /sub/{sub_id}` answers the links of the panel that holds the client now, as
/// base64 links, Clash/Mihomo YAML or sing-box JSON (`/sub/{id}/clash`, `/sub/{id}/singbox`,
/// or the User-Agent), with the headers subscription clients read. Every miss is the same
/// empty 404; requests are limited per source address; a `sub_id` never reaches the log in
/// full.
///
/// Lifecycle as `http_api`: `start` binds and serves on its own event loops, `stop` (or
/// destruction) stops and joins. Not thread-safe itself.
class subscription_api {
public:
  subscription_api(const fleet_config& config, caf::actor_system& system, caf::actor coordinator);
  ~subscription_api();

  subscription_api(const subscription_api&) = delete;
  subscription_api& operator=(const subscription_api&) = delete;

  /// Binds `coordinator.subscription_listen`; fails with `io_error` naming the address.
  [[nodiscard]] caf::error start();

  void stop();

  /// The port actually bound (after `start`).
  [[nodiscard]] int port() const noexcept;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// `sub_id` as it may appear in a log: its first four characters and its length.
[[nodiscard]] std::string masked_sub_id(const std::string& sub_id);

} // namespace fleet
