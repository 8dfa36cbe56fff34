// The answer of `inbounds/list` (settings as a JSON string on classic panels, as an object
// on gen2 panels) as both adapters read it, and the health check's summary of it.
#include "common/panel/classify.hpp"
#include "common/panel/panel_check.hpp"
#include "common/panel/xui_adapter.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto obj = fleet::classify(fleet::fuzz::panel_answer(data, size), "list inbounds");
  if (!obj)
    return 0;
  for (const auto* adapter : {&fleet::classic_adapter(), &fleet::gen2_adapter()}) {
    auto inbounds = adapter->parse_inbounds(*obj);
    if (!inbounds)
      continue;
    fleet::health_report report;
    fleet::summarise_inbounds(*inbounds, 1'760'000'000'000, report);
  }
  return 0;
}
