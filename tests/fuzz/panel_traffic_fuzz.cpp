// The answer of a client's traffic (`getClientTraffics/{email}`, `clients/traffic`) as both
// adapters read it.
#include "common/panel/classify.hpp"
#include "common/panel/xui_adapter.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto obj = fleet::classify(fleet::fuzz::panel_answer(data, size), "read client traffic");
  if (!obj)
    return 0;
  for (const auto* adapter : {&fleet::classic_adapter(), &fleet::gen2_adapter()})
    (void)adapter->parse_traffic(*obj);
  return 0;
}
