#include "common/model/server.hpp"

#include <cctype>

namespace fleet {

const char* to_string(panel_scheme scheme) {
  return scheme == panel_scheme::https ? "https" : "http";
}

bool probed_by(const server_config& s, const std::string& prober) {
  return s.agent.empty() || (!prober.empty() && s.agent == prober);
}

std::string server_env_name(const std::string& id, const char* field) {
  std::string result = "XUI_SERVER_";
  for (auto c : id) {
    auto uc = static_cast<unsigned char>(c);
    result += std::isalnum(uc) != 0 ? static_cast<char>(std::toupper(uc)) : '_';
  }
  result += '_';
  result += field;
  return result;
}

} // namespace fleet
