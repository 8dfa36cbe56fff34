#pragma once

#include "tools/fake_xui/fake_panel.hpp"

#include <functional>
#include <random>
#include <string>
#include <vector>

namespace fleet::fake {

/// The share links of `client` on `in` as 3x-ui's subscription service (v3.6, internal/sub)
/// writes them (subscription-formats.md §1): vless://, vmess:// (base64 of indented JSON),
/// trojan:// and ss://, one per `streamSettings.externalProxy` entry or else one advertising
/// `address` and the inbound's port. Other protocols give none. `remark` is asked once per
/// link, in order. REALITY links take one of `serverNames` and one of `shortIds` drawn from
/// `rng` for every link, as the panel draws them.
[[nodiscard]] std::vector<std::string> share_links(const inbound& in, const nlohmann::json& client,
                                                   const std::string& address,
                                                   const std::function<std::string()>& remark,
                                                   std::mt19937_64& rng);

/// 3x-ui's `deriveSpiderX`: "/" + the first 15 hex digits of SHA-256(seed + "|" + key), or
/// "/" + 15 random letters and digits when both are empty.
[[nodiscard]] std::string derive_spider_x(const std::string& seed, const std::string& key,
                                          std::mt19937_64& rng);

/// `value` as Go's encoding/json writes it: keys sorted, `<`, `>`, `&`, U+2028 and U+2029
/// escaped; indented by two spaces per level when `indent`.
[[nodiscard]] std::string go_json(const nlohmann::json& value, bool indent);

} // namespace fleet::fake
