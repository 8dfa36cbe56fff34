// A configuration file as the coordinator and the agent load it: parsing, environment
// overrides and validation.
#include "common/config/config.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace {

/// Sets one override of each kind, so that their paths run too.
std::optional<std::string> env(const std::string& name) {
  if (name == "FLEET_API_TOKEN")
    return "fuzz-api-token-0123456789abcdef";
  if (name.rfind("XUI_SERVER_", 0) == 0 && name.size() % 2 == 0)
    return "JBSWY3DPEHPK3PXP";
  return std::nullopt;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto text = fleet::fuzz::text_of(data, size);
  fleet::config_rules rules{{"geographic", "least_load", "priority", "random", "round_robin"}};
  for (auto program :
       {fleet::config_rules::reader::coordinator, fleet::config_rules::reader::agent}) {
    rules.program = program;
    auto result = fleet::parse_config(text, env, rules);
    for (const auto& p : result.problems)
      (void)p.to_string();
  }
  return 0;
}
