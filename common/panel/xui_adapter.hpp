#pragma once

// One adapter per 3X-UI API generation: the requests of every client and inbound operation
// and the parsers of their answers. The panel client picks one adapter, once, from the
// generation `server/status` reveals, and never branches on the generation itself.

#include "common/panel/http_engine.hpp"
#include "common/panel/xui_api.hpp"

#include <string>
#include <vector>

namespace fleet {

/// How a request carries its body.
enum class body_kind { none, form, json };

/// One API request, relative to the panel's base URL.
struct xui_request {
  std::string method;
  std::string path;
  std::string body;
  body_kind kind = body_kind::none;
  /// The operation's name for error messages ("add clients").
  std::string what;
};

/// Builds the requests of one API generation and parses its answers (the envelope's `obj`,
/// after `classify`). Adapters are stateless and immutable: one instance per generation lives
/// for the whole process and may be used from any thread.
class xui_adapter {
public:
  virtual ~xui_adapter() = default;

  [[nodiscard]] virtual api_generation generation() const noexcept = 0;

  /// Reads every inbound with its clients and their traffic (`inbounds/list` in both
  /// generations).
  [[nodiscard]] virtual xui_request list_inbounds() const;

  /// Adds `clients` to inbound `inbound_id` of `protocol`. The requests go out in order and
  /// the first failure ends the operation: one request on classic panels (which take a whole
  /// batch), one per client on gen2 panels. Empty when `clients` is.
  [[nodiscard]] virtual std::vector<xui_request>
  add_clients(int64_t inbound_id, const std::string& protocol,
              const std::vector<client_order>& clients) const = 0;

  /// Replaces client `ref` (in an inbound of `protocol`) with `client`.
  [[nodiscard]] virtual xui_request update_client(const client_ref& ref,
                                                  const std::string& protocol,
                                                  const client_order& client) const = 0;

  /// Deletes client `ref`.
  [[nodiscard]] virtual xui_request delete_client(const client_ref& ref) const = 0;

  /// Reads the traffic of `email`.
  [[nodiscard]] virtual xui_request client_traffic(const std::string& email) const = 0;

  /// Reads the emails of the clients connected right now.
  [[nodiscard]] virtual xui_request online_clients() const = 0;

  // The parsers default to the shapes both generations share (xui_api.hpp); an adapter
  // overrides what its generation answers differently.

  /// The answer of `list_inbounds`, settings as JSON strings (classic) or objects (gen2).
  [[nodiscard]] virtual caf::expected<std::vector<panel_inbound>>
  parse_inbounds(const nlohmann::json& obj) const;

  /// The whole answer of `list_inbounds`: `classify`'s error for a failed one, else what
  /// `parse_inbounds` makes of its `obj`. A successful answer is read straight from its body
  /// (`read_inbound_list`), without a JSON tree; an adapter that overrides `parse_inbounds`
  /// overrides this too.
  [[nodiscard]] virtual caf::expected<std::vector<panel_inbound>>
  read_inbounds(const http_response& answer) const;

  /// The answer of `client_traffic`; `not_found` when the panel has no such client (`null`
  /// up to v2.8.0 and from v3.2.8 on; the "Inbound Not Found For Email" refusal in between
  /// is made `not_found` by `classify`).
  [[nodiscard]] virtual caf::expected<client_usage> parse_traffic(const nlohmann::json& obj) const;

  /// The answer of `online_clients`; `null` (classic panels right after an Xray restart) is
  /// nobody.
  [[nodiscard]] virtual caf::expected<std::vector<std::string>>
  parse_online(const nlohmann::json& obj) const;
};

/// The adapter of v1.5 … v3.0.2 panels (`/panel/api/inbounds/addClient` etc.).
[[nodiscard]] const xui_adapter& classic_adapter();

/// The adapter of v3.1+ panels (`/panel/api/clients/*`).
[[nodiscard]] const xui_adapter& gen2_adapter();

/// The adapter of `g`; nullptr for `api_generation::unknown`.
[[nodiscard]] const xui_adapter* adapter_for(api_generation g);

} // namespace fleet
