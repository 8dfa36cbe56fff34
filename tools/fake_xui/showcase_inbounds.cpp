// The showcase inbound set: realistic inbounds as 3x-ui v2.x/v3 stores them (the frontend's
// defaults of web/assets/js/model/inbound.js; subscription-formats.md §1.1).

#include "tools/fake_xui/fake_panel.hpp"
#include "tools/fake_xui/sub_encoding.hpp"

#include <algorithm>

namespace fleet::fake {

namespace {

using nlohmann::json;

json tls_settings(const std::string& server_name, json alpn, const std::string& fingerprint) {
  return {{"serverName", server_name},
          {"minVersion", "1.2"},
          {"maxVersion", "1.3"},
          {"cipherSuites", ""},
          {"rejectUnknownSni", false},
          {"disableSystemRoot", false},
          {"enableSessionResumption", false},
          {"certificates",
           {{{"certificateFile", "/root/cert/" + server_name + "/fullchain.pem"},
             {"keyFile", "/root/cert/" + server_name + "/privkey.pem"},
             {"ocspStapling", 3600},
             {"oneTimeLoading", false},
             {"usage", "encipherment"},
             {"buildChain", false}}}},
          {"alpn", std::move(alpn)},
          {"echServerKeys", ""},
          {"echForceQuery", "none"},
          {"settings", {{"fingerprint", fingerprint}, {"echConfigList", ""}}}};
}

json ws_settings(const std::string& path, const std::string& host, json headers) {
  return {{"acceptProxyProtocol", false},
          {"path", path},
          {"host", host},
          {"headers", std::move(headers)},
          {"heartbeatPeriod", 0}};
}

json tcp_none() {
  return {{"acceptProxyProtocol", false}, {"header", {{"type", "none"}}}};
}

/// Eight hex short ids of the lengths 2, 4, ..., 16 in random order (the frontend's
/// `RandomUtil.randomShortIds`).
json short_ids(std::mt19937_64& rng) {
  std::vector<size_t> lengths{2, 4, 6, 8, 10, 12, 14, 16};
  std::shuffle(lengths.begin(), lengths.end(), rng);
  std::uniform_int_distribution<int> digit{0, 15};
  auto out = json::array();
  for (auto n : lengths) {
    std::string id;
    for (size_t i = 0; i < n; ++i)
      id += "0123456789abcdef"[digit(rng)];
    out.push_back(id);
  }
  return out;
}

} // namespace

void fake_panel::seed_showcase(const std::string& prefix) {
  auto sub_id = random_text(16);
  auto add
      = [&](const char* remark, int64_t port, const char* protocol, json settings, json stream) {
          inbound_spec spec;
          spec.remark = remark;
          spec.port = port;
          spec.protocol = protocol;
          spec.settings = std::move(settings);
          stream["externalProxy"] = json::array();
          spec.stream_settings = std::move(stream);
          // The seed is well-formed by construction.
          static_cast<void>(add_inbound(std::move(spec)));
        };
  auto client = [&](const char* kind) { return seed_client(prefix + "-seed-" + kind, sub_id); };
  auto vless_settings = [&](const char* kind, const char* flow) {
    auto c = client(kind);
    c["id"] = new_uuid();
    c["flow"] = flow;
    return json{{"clients", {std::move(c)}},
                {"decryption", "none"},
                {"encryption", "none"},
                {"fallbacks", json::array()}};
  };

  auto reality = vless_settings("reality", "xtls-rprx-vision");
  auto private_key = base64_url_raw(random_bytes(rng_, 32));
  auto public_key = base64_url_raw(random_bytes(rng_, 32));
  add("vless-reality", 443, "vless", reality,
      {{"network", "tcp"},
       {"security", "reality"},
       {"realitySettings",
        {{"show", false},
         {"xver", 0},
         {"target", "www.microsoft.com:443"},
         {"serverNames", {"www.microsoft.com", "microsoft.com"}},
         {"privateKey", private_key},
         {"minClientVer", ""},
         {"maxClientVer", ""},
         {"maxTimediff", 0},
         {"shortIds", short_ids(rng_)},
         {"mldsa65Seed", ""},
         {"settings",
          {{"publicKey", public_key},
           {"fingerprint", "chrome"},
           {"serverName", ""},
           {"spiderX", "/"},
           {"mldsa65Verify", ""}}}}},
       {"tcpSettings", tcp_none()}});

  add("vless-ws-tls", 8443, "vless", vless_settings("vless-ws", ""),
      {{"network", "ws"},
       {"security", "tls"},
       {"tlsSettings", tls_settings("cdn.example.net", {"h2", "http/1.1"}, "chrome")},
       {"wsSettings", ws_settings("/vlws", "cdn.example.net", json::object())}});

  auto grpc = client("trojan-grpc");
  grpc["password"] = random_text(10);
  grpc["flow"] = "";
  add("trojan-grpc-tls", 2083, "trojan", {{"clients", {grpc}}, {"fallbacks", json::array()}},
      {{"network", "grpc"},
       {"security", "tls"},
       {"tlsSettings", tls_settings("tj.example.net", {"h2"}, "firefox")},
       {"grpcSettings", {{"serviceName", "tj-grpc"}, {"authority", ""}, {"multiMode", false}}}});

  auto vmess = client("vmess-ws");
  vmess["id"] = new_uuid();
  vmess["security"] = "auto";
  add("vmess-ws", 8080, "vmess", {{"clients", {vmess}}},
      {{"network", "ws"},
       {"security", "none"},
       {"wsSettings", ws_settings("/vm", "", {{"Host", "vm.example.net"}})}});

  auto ss = client("ss2022");
  ss["method"] = "";
  ss["password"] = base64_std(random_bytes(rng_, 32));
  add("ss2022", 8388, "shadowsocks",
      {{"method", "2022-blake3-aes-256-gcm"},
       {"password", base64_std(random_bytes(rng_, 32))},
       {"network", "tcp,udp"},
       {"clients", {ss}},
       {"ivCheck", false}},
      {{"network", "tcp"}, {"security", "none"}, {"tcpSettings", tcp_none()}});

  add("vless-xhttp-tls", 2087, "vless", vless_settings("vless-xhttp", ""),
      {{"network", "xhttp"},
       {"security", "tls"},
       {"tlsSettings", tls_settings("xh.example.net", {"h2"}, "chrome")},
       {"xhttpSettings",
        {{"path", "/xh"},
         {"host", ""},
         {"headers", json::object()},
         {"scMaxBufferedPosts", 30},
         {"scMaxEachPostBytes", "1000000"},
         {"scStreamUpServerSecs", "20-80"},
         {"noSSEHeader", false},
         {"xPaddingBytes", "100-1000"},
         {"mode", "auto"}}}});
}

} // namespace fleet::fake
