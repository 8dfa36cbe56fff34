// The answer of `GET panel/api/server/status` as a panel client reads it.
#include "common/panel/classify.hpp"
#include "common/panel/xui_adapter.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto obj = fleet::classify(fleet::fuzz::panel_answer(data, size), "read status");
  if (!obj)
    return 0;
  auto status = fleet::parse_status(*obj);
  if (status)
    (void)fleet::adapter_for(status->generation);
  return 0;
}
