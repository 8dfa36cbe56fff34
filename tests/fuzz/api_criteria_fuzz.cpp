// The selection criteria of `POST /api/v1/select` as the API reads them.
#include "common/model/model_json.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto body = nlohmann::json::parse(fleet::fuzz::text_of(data, size), nullptr, false);
  if (!body.is_object())
    return 0;
  fleet::selection_criteria out;
  auto problems = fleet::read(body, out);
  for (const auto& p : problems)
    (void)p.to_string();
  // The reader accepts what the writer emits.
  fleet::selection_criteria again;
  if (!fleet::has_errors(problems) && fleet::has_errors(fleet::read(fleet::to_json(out), again)))
    __builtin_trap();
  return 0;
}
