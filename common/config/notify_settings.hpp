#pragma once

#include "common/duration.hpp"
#include "common/field_problem.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace fleet {

/// One entry of `coordinator.webhooks`: a receiver that gets every matching event of the
/// log, signed, at least once and in `seq` order.
struct webhook_settings {
  /// http:// or https:// URL the events are POSTed to.
  std::string url;
  /// Key of the HMAC-SHA256 signature (`X-Fleet-Signature`). Secret.
  std::string secret;
  /// Event types sent: exact ("client.created"), a family ("server.*") or "*".
  std::vector<std::string> events{"*"};
  /// Longest wait for one delivery's answer.
  millis timeout{10'000};
  /// First and largest pause between failed attempts (doubling, with jitter).
  millis retry_min{1'000};
  millis retry_max{300'000};
};

/// `coordinator.alerts.telegram`: messages to a Telegram chat when servers go down or
/// recover. Off while `bot_token` is empty.
struct telegram_settings {
  /// The bot's token from @BotFather. Secret: it is part of every request URL.
  std::string bot_token;
  /// The chat (or channel, "@name") messages go to.
  std::string chat_id;
  /// The Bot API's address.
  std::string api_base = "https://api.telegram.org";
  /// State changes that happen within this window go out as one message.
  millis group_window{10'000};
  /// After a server was announced, its next change waits at least this long (a flapping
  /// panel is announced once per period, with its state at the end of it).
  millis hold_down{60'000};
};

/// `coordinator.alerts`: built-in alert sinks.
struct alert_settings {
  telegram_settings telegram;
};

class json_reader;

/// Reads `coordinator.webhooks` (when present) from `coordinator`, the section's object.
void read_webhooks(json_reader& parent, const nlohmann::json& coordinator,
                   std::vector<webhook_settings>& out, field_problems& problems);

/// Reads `coordinator.alerts` (when present) from `coordinator`, the section's object.
void read_alerts(json_reader& parent, const nlohmann::json& coordinator, alert_settings& out,
                 field_problems& problems);

/// Checks webhooks and alerts: URLs, secrets, event patterns, timeouts.
void check_notify(const std::vector<webhook_settings>& webhooks, const alert_settings& alerts,
                  field_problems& problems);

} // namespace fleet
