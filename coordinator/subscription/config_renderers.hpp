#pragma once

// The per-format renderers behind `render_subscription`. Internal to the subscription
// library.

#include "coordinator/subscription/proxy_names.hpp"
#include "coordinator/subscription/subscription.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>

namespace fleet::subscription_detail {

/// The proxy of one entry in a config's own form, or nothing and the reason in `why`.
using proxy_mapper = std::function<std::optional<nlohmann::ordered_json>(
    const subscription_entry& e, std::string& why)>;

/// Why no format can carry `e` (no profile, a disabled inbound), or `""`.
[[nodiscard]] std::string entry_problem(const subscription_entry& e);

/// The name of an entry without a remark: `protocol-server-port`.
[[nodiscard]] std::string fallback_name(const subscription_entry& e);

/// The proxies `map` makes of `entries`, in order, each with a unique name under `name_key`
/// (a placeholder key `map` puts first); the entries without one go to `left_out`.
[[nodiscard]] std::vector<nlohmann::ordered_json>
map_entries(const std::vector<subscription_entry>& entries, proxy_names& names,
            const char* name_key, const proxy_mapper& map, std::vector<left_out_entry>& left_out);

[[nodiscard]] rendered_subscription render_clash(const subscriber& s,
                                                 const std::vector<subscription_entry>& entries);

[[nodiscard]] rendered_subscription render_singbox(const subscriber& s,
                                                   const std::vector<subscription_entry>& entries);

} // namespace fleet::subscription_detail
