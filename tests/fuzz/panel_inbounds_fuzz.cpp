// The answer of `inbounds/list` (settings as a JSON string on classic panels, as an object
// on gen2 panels) as both adapters read it, and the health check's summary of it. The fast
// reader the checks use (`read_inbound_list`) must give what the JSON tree gives, or leave
// the answer to it: any difference aborts.
#include "common/panel/classify.hpp"
#include "common/panel/panel_check.hpp"
#include "common/panel/xui_adapter.hpp"
#include "tests/common/panel/inbound_difference.hpp"
#include "tests/fuzz/fuzz_input.hpp"

#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto answer = fleet::fuzz::panel_answer(data, size);
  if (auto wrong = fleet::test::fast_reading_error(answer.body); !wrong.empty()) {
    std::fprintf(stderr, "read_inbound_list differs from parse_inbounds: %s\n", wrong.c_str());
    std::abort();
  }
  auto obj = fleet::classify(answer, "list inbounds");
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
