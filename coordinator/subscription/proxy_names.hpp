#pragma once

#include <set>
#include <string>

namespace fleet {

/// Gives every proxy of a config its own name (mihomo rejects a config with two proxies of the
/// same name, sing-box one with two outbounds of the same tag). Not thread-safe.
class proxy_names {
public:
  /// Reserves names the config uses itself (`PROXY`, `DIRECT`, `direct`, ...).
  explicit proxy_names(std::set<std::string> reserved) : taken_(std::move(reserved)) {}

  /// `name`, or `fallback` when it is empty, with `-2`, `-3`, ... appended when taken; the
  /// result is taken from then on.
  std::string claim(const std::string& name, const std::string& fallback);

private:
  std::set<std::string> taken_;
};

} // namespace fleet
