#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <random>
#include <string>

namespace fleet::fake {

/// The query of a share link, one value per key (sorted as Go's `url.Values.Encode` sorts).
using link_params = std::map<std::string, std::string>;

/// Transport parameters of vless/trojan/ss links (3x-ui `applyShareNetworkParams`,
/// subscription-formats.md §1.5) for tcp (http header), ws, grpc, httpupgrade and xhttp.
void network_params(const nlohmann::json& stream, const std::string& network, link_params& p);

/// TLS parameters (3x-ui `applyShareTLSParams`, §1.6).
void tls_params(const nlohmann::json& stream, link_params& p);

/// REALITY parameters (3x-ui `applyShareRealityParams`, §1.6): serverName and shortId drawn
/// from `rng`, spiderX derived from `client_key`.
void reality_params(const nlohmann::json& stream, link_params& p, const std::string& client_key,
                    std::mt19937_64& rng);

/// The transport fields of a vmess link object (3x-ui `applyVmessNetworkParams`, §1.10).
void vmess_network(const nlohmann::json& stream, const std::string& network, nlohmann::json& obj);

/// The TLS fields of a vmess link object (3x-ui `applyVmessTLSParams`, §1.10).
void vmess_tls(const nlohmann::json& stream, nlohmann::json& obj);

} // namespace fleet::fake
