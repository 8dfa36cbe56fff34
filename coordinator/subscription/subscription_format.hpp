#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace fleet {

/// The forms a subscription answer takes: base64 of share links (v2rayN, Happ, Shadowrocket,
/// browsers ...), a Clash/Mihomo YAML config, or a sing-box JSON config.
enum class subscription_format : uint8_t { base64, clash, singbox };

/// The name of a format as a path suffix: `base64`, `clash`, `singbox`.
[[nodiscard]] const char* to_string(subscription_format f);

/// The format a path suffix (the part after `/sub/{id}/`) asks for: `clash`, `singbox`, and
/// `base64` or `raw` for links; nothing for `""` or an unknown suffix.
[[nodiscard]] std::optional<subscription_format> format_of_suffix(std::string_view suffix);

/// The format of one request (docs/subscription-formats.md §5.2). A known `suffix` wins; else
/// the User-Agent decides, compared case-insensitively, first match wins:
/// 1. links for clients that want them but may say `sing-box` or `clash` elsewhere in their
///    UA: Happ, v2rayN, v2rayNG, Streisand, Shadowrocket, NekoBox, Nekoray, v2RayTun, Throne;
/// 2. sing-box for Hiddify (whose UA also says `ClashMeta`);
/// 3. Clash for `clash`, `mihomo`, `stash`, `flclash` anywhere (Clash Verge, Clash Meta for
///    Android, mihomo, FlClash forks that also say `sing-box`);
/// 4. sing-box for `SFA/` `SFI/` `SFM/` `SFT/`, `karing` or `sing-box` anywhere, unless the UA
///    names a sing-box core older than 1.11 (`sing-box 1.10.x`), which cannot load the config:
///    links then;
/// 5. links for everything else, an empty UA and browsers included.
[[nodiscard]] subscription_format choose_format(std::string_view suffix,
                                                std::string_view user_agent);

} // namespace fleet
