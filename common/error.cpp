#include "common/error.hpp"

#include <caf/message.hpp>

namespace fleet {

namespace {

constexpr caf::atom_value fleet_category = caf::detail::error_factory<ec>::category;

} // namespace

std::string to_string(ec code) {
  switch (code) {
  case ec::none:
    return "none";
  case ec::invalid_argument:
    return "invalid_argument";
  case ec::not_found:
    return "not_found";
  case ec::conflict:
    return "conflict";
  case ec::no_server_available:
    return "no_server_available";
  case ec::panel_error:
    return "panel_error";
  case ec::panel_timeout:
    return "panel_timeout";
  case ec::panel_unreachable:
    return "panel_unreachable";
  case ec::panel_unavailable:
    return "panel_unavailable";
  case ec::panel_bad_response:
    return "panel_bad_response";
  case ec::unauthenticated:
    return "unauthenticated";
  case ec::parse_error:
    return "parse_error";
  case ec::io_error:
    return "io_error";
  case ec::store_unavailable:
    return "store_unavailable";
  case ec::internal:
    return "internal";
  }
  return "unknown";
}

caf::error make_error(ec code, std::string message) {
  return caf::make_error(code, std::move(message));
}

caf::error make_error(ec code, std::string message, std::string details) {
  return caf::make_error(code, std::move(message), std::move(details));
}

std::string message_of(const caf::error& err) {
  const auto& ctx = err.context();
  if (err.category() == fleet_category && (ctx.size() == 1 || ctx.size() == 2)
      && ctx.match_element<std::string>(0))
    return ctx.get_as<std::string>(0);
  return caf::to_string(err);
}

std::string details_of(const caf::error& err) {
  const auto& ctx = err.context();
  if (err.category() == fleet_category && ctx.size() == 2 && ctx.match_element<std::string>(1))
    return ctx.get_as<std::string>(1);
  return {};
}

ec code_of(const caf::error& err) {
  if (err.category() != fleet_category)
    return ec::internal;
  return static_cast<ec>(err.code());
}

bool is_fleet_error(const caf::error& err) {
  return err.category() == fleet_category;
}

} // namespace fleet
