#include "fleetctl/command_context.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <vector>

#include "fleetctl/commands.hpp"
#include "fleetctl/table.hpp"

namespace fleet::ctl {

using json = nlohmann::json;

bool failed_with(context& c, const reply& r) {
  if (!r.error)
    return false;
  c.err << "fleetctl: " << r.error->message << '\n';
  return true;
}

int usage_problem(context& c, const std::string& what) {
  c.err << "fleetctl: " << what << " (see fleetctl --help)\n";
  return usage_error;
}

const json& field_of(const json& object, const char* key) {
  static const json none;
  if (!object.is_object())
    return none;
  auto i = object.find(key);
  return i != object.end() ? *i : none;
}

std::string text(const json& v) {
  if (v.is_null())
    return "-";
  if (v.is_string())
    return v.get<std::string>();
  if (v.is_number_float()) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.2f", v.get<double>());
    return buf;
  }
  return v.dump();
}

std::string human_bytes(const json& v) {
  if (!v.is_number())
    return text(v);
  static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  auto x = v.get<double>();
  size_t unit = 0;
  while (std::fabs(x) >= 1024 && unit + 1 < std::size(units)) {
    x /= 1024;
    ++unit;
  }
  char buf[32];
  if (unit == 0)
    std::snprintf(buf, sizeof(buf), "%.0f B", x);
  else
    std::snprintf(buf, sizeof(buf), "%.2f %s", x, units[unit]);
  return buf;
}

int show(context& c, const json& body, const std::function<void()>& render) {
  if (c.as_json)
    c.out << body.dump(2) << '\n';
  else
    render();
  return ok;
}

void key_values(context& c, const json& object) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& [k, v] : object.items())
    if (!v.is_object() && !v.is_array())
      rows.push_back({k, text(v)});
  auto table = render_table({"FIELD", "VALUE"}, rows);
  c.out << table.substr(table.find('\n') + 1);
}

std::optional<double> number_option(context& c, const char* name, bool& bad) {
  auto v = c.cmd.option(name);
  if (!v)
    return std::nullopt;
  try {
    size_t used = 0;
    auto x = std::stod(*v, &used);
    if (used == v->size() && std::isfinite(x))
      return x;
  } catch (const std::exception&) {
    // reported below
  }
  c.err << "fleetctl: --" << name << ": expected a number, got \"" << *v << "\"\n";
  bad = true;
  return std::nullopt;
}

std::optional<double> amount_option(context& c, const char* name, bool& bad) {
  auto x = number_option(c, name, bad);
  if (x && *x < 0) {
    c.err << "fleetctl: --" << name << ": must not be negative, got \"" << *c.cmd.option(name)
          << "\"\n";
    bad = true;
    return std::nullopt;
  }
  return x;
}

std::optional<int64_t> count_option(context& c, const char* name, bool& bad) {
  auto v = c.cmd.option(name);
  if (!v)
    return std::nullopt;
  int64_t n = 0;
  const auto* end = v->data() + v->size();
  auto [at, problem] = std::from_chars(v->data(), end, n);
  if (problem == std::errc{} && at == end && n >= 0)
    return n;
  if (problem == std::errc{} && at == end)
    c.err << "fleetctl: --" << name << ": must not be negative, got \"" << *v << "\"\n";
  else
    c.err << "fleetctl: --" << name << ": expected a whole number, got \"" << *v << "\"\n";
  bad = true;
  return std::nullopt;
}

} // namespace fleet::ctl
