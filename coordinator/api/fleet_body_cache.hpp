#pragma once

#include "common/model/stats.hpp"

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace fleet {

/// The part of a fleet-wide answer that lists every server (`"servers":[...]`, or an object
/// keyed by server id), kept rendered between requests: each server is rendered again only
/// when its view or the configuration changed since the last answer, and an unchanged fleet
/// gets the same text without rendering anything. At a thousand servers rendering is most of
/// what `GET /api/v1/servers` costs, and most requests find nothing changed.
///
/// Thread-safety: every method may be called from any thread (one mutex).
class fleet_body_cache {
public:
  /// Renders one server's JSON text.
  using render = std::function<std::string(const server_view&)>;

  /// `by_id`: an object keyed by server id instead of an array.
  explicit fleet_body_cache(bool by_id) : by_id_(by_id) {}

  /// The list for `views` (in their order), rendering with `f` what changed. A new
  /// `config_generation` renders every server again.
  [[nodiscard]] std::string list(const std::vector<server_view>& views, uint64_t config_generation,
                                 const render& f);

  /// Servers rendered since the cache was made (for tests and benchmarks).
  [[nodiscard]] uint64_t renders() const;

private:
  struct rendered {
    server_view view;
    std::string text;
  };

  bool by_id_;
  mutable std::mutex mtx_;
  uint64_t generation_ = 0;
  std::vector<rendered> servers_;
  std::string list_;
  uint64_t renders_ = 0;
};

} // namespace fleet
