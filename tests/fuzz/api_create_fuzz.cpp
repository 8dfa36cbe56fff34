// The body of `POST /api/v1/clients` as the API reads it.
#include "coordinator/api/api_json.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto body = nlohmann::json::parse(fleet::fuzz::text_of(data, size), nullptr, false);
  if (!body.is_object())
    return 0;
  fleet::create_request out;
  for (const auto& p : fleet::read_create(body, out))
    (void)p.to_string();
  return 0;
}
