// The answers on the way to a session: `csrf-token`, `login` and `getTwoFactorEnable`, and
// the classification of an error answer (any HTTP status).
#include "common/panel/classify.hpp"
#include "common/panel/login_answers.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto answer = fleet::fuzz::panel_answer(data, size);
  (void)fleet::read_csrf_token(answer);
  (void)fleet::reads_two_factor_on(answer);
  for (long status : {200L, 401L, 404L, 500L}) {
    answer.status = status;
    auto login = fleet::read_login(answer);
    if (login.error)
      (void)fleet::is_retryable(login.error);
  }
  return 0;
}
