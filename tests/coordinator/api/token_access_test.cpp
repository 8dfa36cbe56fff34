#include "coordinator/api/token_access.hpp"

#include <catch2/catch.hpp>

using namespace fleet;

TEST_CASE("an admin token may do everything", "[unit][api]") {
  CHECK(token_may(token_role::admin, "POST", "/api/v1/clients"));
  CHECK(token_may(token_role::admin, "DELETE", "/api/v1/clients/u1"));
  CHECK(token_may(token_role::admin, "POST", "/api/v1/admin/reload"));
}

TEST_CASE("a read token reads and selects, and changes nothing", "[unit][api]") {
  CHECK(token_may(token_role::read, "GET", "/api/v1/servers"));
  CHECK(token_may(token_role::read, "GET", "/api/v1/events/stream"));
  CHECK(token_may(token_role::read, "POST", "/api/v1/select"));
  CHECK_FALSE(token_may(token_role::read, "POST", "/api/v1/clients"));
  CHECK_FALSE(token_may(token_role::read, "PATCH", "/api/v1/clients/u1"));
  CHECK_FALSE(token_may(token_role::read, "DELETE", "/api/v1/clients/u1"));
  CHECK_FALSE(token_may(token_role::read, "POST", "/api/v1/servers/a/drain"));
  CHECK_FALSE(token_may(token_role::read, "POST", "/api/v1/admin/backup"));
  CHECK_FALSE(token_may(token_role::read, "GET", "/api/v1/admin/anything"));
}
