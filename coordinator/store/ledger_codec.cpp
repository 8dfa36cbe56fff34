// The stored form of ledger entries. Key: the email, '\n', the server id (store_impl.hpp).
// Value: one format byte, then the entry's numbers as zigzag LEB128 varints (read_at_ms,
// last, used, carried, read_at_ms - hour_ms, hour_bytes; pairs up then down): 40 to 50 bytes
// where JSON took about 170, and written for every changed client of every check. Stores
// written before this format hold JSON with the names in it (schema version 1), read as well;
// such an entry is written in the new form the next time it changes.

#include "coordinator/store/records.hpp"

#include <cstdint>
#include <string_view>

namespace fleet {

namespace {

constexpr char binary_format = 1;
constexpr size_t numbers = 10;

void put(std::string& out, int64_t x) {
  auto u = (static_cast<uint64_t>(x) << 1) ^ (x < 0 ? ~uint64_t{0} : uint64_t{0});
  while (u >= 0x80) {
    out.push_back(static_cast<char>(u | 0x80));
    u >>= 7;
  }
  out.push_back(static_cast<char>(u));
}

bool get(std::string_view& in, int64_t& x) noexcept {
  uint64_t u = 0;
  for (size_t i = 0; i < in.size() && i < 10; ++i) {
    auto b = static_cast<unsigned char>(in[i]);
    u |= uint64_t{b & 0x7FU} << (7 * i);
    if ((b & 0x80U) == 0) {
      in.remove_prefix(i + 1);
      x = static_cast<int64_t>(u >> 1) ^ -static_cast<int64_t>(u & 1);
      return true;
    }
  }
  return false;
}

} // namespace

std::string encode(const ledger_record& x) {
  const auto& e = x.entry;
  std::string out;
  out.reserve(1 + numbers * 6);
  out.push_back(binary_format);
  // The hour as its distance from the read (a few bytes), wrapping like unsigned numbers.
  auto since_hour = static_cast<int64_t>(static_cast<uint64_t>(e.read_at_ms)
                                         - static_cast<uint64_t>(e.hour_ms));
  for (auto n : {e.read_at_ms, e.last.up, e.last.down, e.used.up, e.used.down, e.carried.up,
                 e.carried.down, since_hour, e.hour_bytes.up, e.hour_bytes.down})
    put(out, n);
  return out;
}

caf::error decode(std::string_view key, const std::string& value, ledger_record& x) {
  if (!value.empty() && value.front() == '{')
    return decode(value, x);
  auto damaged = [&](const char* why) {
    return make_error(ec::io_error, "stored ledger entry " + std::to_string(value.size())
                                        + " bytes long: " + why);
  };
  auto split = key.find('\n');
  if (split == std::string_view::npos)
    return damaged("its key names no server");
  if (value.empty() || value.front() != binary_format)
    return damaged("unknown format");
  std::string_view in{value};
  in.remove_prefix(1);
  int64_t n[numbers];
  for (auto& v : n)
    if (!get(in, v))
      return damaged("a number is cut short");
  if (!in.empty())
    return damaged("bytes after the last number");
  x.email = std::string{key.substr(0, split)};
  x.server_id = std::string{key.substr(split + 1)};
  auto& e = x.entry;
  e.read_at_ms = n[0];
  e.last = {n[1], n[2]};
  e.used = {n[3], n[4]};
  e.carried = {n[5], n[6]};
  e.hour_ms = static_cast<int64_t>(static_cast<uint64_t>(n[0]) - static_cast<uint64_t>(n[7]));
  e.hour_bytes = {n[8], n[9]};
  return caf::none;
}

} // namespace fleet
