// The answer of `onlines` (the emails of online clients) as both adapters read it.
#include "common/panel/classify.hpp"
#include "common/panel/xui_adapter.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto obj = fleet::classify(fleet::fuzz::panel_answer(data, size), "list online clients");
  if (!obj)
    return 0;
  for (const auto* adapter : {&fleet::classic_adapter(), &fleet::gen2_adapter()})
    (void)adapter->parse_online(*obj);
  return 0;
}
