#include "coordinator/subscription/proxy_names.hpp"

namespace fleet {

std::string proxy_names::claim(const std::string& name, const std::string& fallback) {
  const auto& base = name.empty() ? fallback : name;
  auto candidate = base;
  for (int n = 2; taken_.count(candidate) > 0; ++n)
    candidate = base + "-" + std::to_string(n);
  taken_.insert(candidate);
  return candidate;
}

} // namespace fleet
