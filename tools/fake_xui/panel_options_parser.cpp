#include "tools/fake_xui/panel_options_parser.hpp"

#include "common/base32.hpp"
#include "tools/fake_xui/reply.hpp"

namespace fleet::fake {

namespace {

std::string normalize_base(std::string base) {
  if (base.empty() || base.front() != '/')
    base.insert(base.begin(), '/');
  if (base.back() != '/')
    base.push_back('/');
  return base;
}

/// Applies one "key=value" to `p`; returns an error text or "".
std::string apply(panel_options& p, const std::string& key, const std::string& value) {
  if (key == "name") {
    p.name = value;
  } else if (key == "port" || key == "sub_port") {
    auto port = parse_id(value);
    if (!port || *port < 0 || *port > 65535)
      return key + " " + value + " is not 0..65535";
    if (key == "port")
      p.port = static_cast<uint16_t>(*port);
    else
      p.sub_port = static_cast<uint16_t>(*port);
  } else if (key == "base") {
    p.base_path = normalize_base(value);
  } else if (key == "profile") {
    auto profile = parse_profile(value);
    if (!profile)
      return "profile " + value + " is not classic, classic-csrf or gen2";
    p.profile = *profile;
  } else if (key == "user") {
    p.username = value;
  } else if (key == "password") {
    p.password = value;
  } else if (key == "token") {
    p.api_tokens.push_back(value);
  } else if (key == "totp") {
    if (!decode_base32(value))
      return "totp secret is not base32";
    p.two_factor_secret = value;
  } else if (key == "cookie") {
    p.cookie_name = value;
  } else if (key == "tls_cert") {
    p.tls_cert = value;
  } else if (key == "tls_key") {
    p.tls_key = value;
  } else if (key == "inbounds") {
    if (value != "default" && value != "showcase")
      return "inbounds " + value + " is not default or showcase";
    p.inbounds = value;
  } else if (key == "sub_host") {
    p.sub_host = value;
  } else if (key == "sub_title") {
    p.sub_title = value;
  } else if (key == "latency") {
    auto ms = parse_id(value);
    if (!ms || *ms < 0 || *ms > 600'000)
      return "latency " + value + " is not 0..600000 ms";
    p.latency = std::chrono::milliseconds{*ms};
  } else if (key == "no_lock") {
    if (value != "0" && value != "1")
      return "no_lock " + value + " is not 0 or 1";
    p.no_lock = value == "1";
  } else if (key == "seed") {
    p.seed = static_cast<uint64_t>(parse_id(value).value_or(1));
  } else {
    return "unknown panel setting " + key;
  }
  return {};
}

} // namespace

command_line parse_command_line(const std::vector<std::string>& args) {
  command_line cl;
  panel_options many;
  int64_t count = 0;
  auto need = [&](size_t& i) -> const std::string* {
    if (i + 1 >= args.size()) {
      cl.error = args[i] + " needs a value";
      return nullptr;
    }
    return &args[++i];
  };
  for (size_t i = 0; i < args.size() && cl.error.empty(); ++i) {
    const auto& a = args[i];
    if (a == "--help" || a == "-h") {
      cl.help = true;
    } else if (a == "--panel") {
      auto* spec = need(i);
      if (spec == nullptr)
        break;
      panel_options p;
      size_t pos = 0;
      while (pos <= spec->size() && cl.error.empty()) {
        auto end = spec->find(',', pos);
        auto item = spec->substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        auto eq = item.find('=');
        if (eq == std::string::npos)
          cl.error = "panel setting " + item + " is not key=value";
        else
          cl.error = apply(p, item.substr(0, eq), item.substr(eq + 1));
        if (end == std::string::npos)
          break;
        pos = end + 1;
      }
      if (p.name.empty())
        p.name = "panel" + std::to_string(cl.panels.size() + 1);
      cl.panels.push_back(std::move(p));
    } else if (a == "--panels") {
      auto* n = need(i);
      if (n != nullptr)
        count = parse_id(*n).value_or(-1);
      if (count < 1 || count > 100'000)
        cl.error = "--panels needs a count 1..100000";
    } else if (a == "--keep-alive") {
      auto* v = need(i);
      if (v != nullptr)
        cl.keep_alive_s = static_cast<int>(parse_id(*v).value_or(5));
    } else if (a == "--threads") {
      auto* v = need(i);
      auto n = v == nullptr ? std::nullopt : parse_id(*v);
      if (v != nullptr && (!n || *n < 1 || *n > 1024))
        cl.error = "--threads needs a count 1..1024";
      else if (n)
        cl.threads = static_cast<size_t>(*n);
    } else if (a == "--no-lock") {
      cl.error = apply(many, "no_lock", "1");
    } else if (a == "--control-port" || a == "--port" || a == "--profile" || a == "--user"
               || a == "--password" || a == "--token" || a == "--host" || a == "--latency") {
      auto* v = need(i);
      if (v == nullptr)
        break;
      if (a == "--control-port")
        cl.control_port = static_cast<uint16_t>(parse_id(*v).value_or(0));
      else if (a == "--host")
        cl.host = *v;
      else
        cl.error = apply(many, a.substr(2), *v);
    } else {
      cl.error = "unknown option " + a;
    }
  }
  for (int64_t i = 1; i <= count && cl.error.empty(); ++i) {
    auto p = many;
    p.name = "p" + std::to_string(i);
    p.base_path = "/p" + std::to_string(i) + "/";
    p.seed = static_cast<uint64_t>(i);
    cl.panels.push_back(std::move(p));
  }
  if (cl.error.empty() && !cl.help && cl.panels.empty())
    cl.error = "no panels; use --panel or --panels";
  return cl;
}

std::string usage() {
  return "usage: fake-xui [--control-port P] [--host H] [--keep-alive S] [--threads N]\n"
         "                --panel SPEC ...\n"
         "       fake-xui --panels N [--port P] [--profile X] [--user U] [--password W] [--token "
         "T]\n"
         "                [--latency MS] [--no-lock]\n"
         "\n"
         "SPEC: comma-separated name=,port=,base=,profile=,user=,password=,token=,cookie=,seed=,\n"
         "      tls_cert=,tls_key= (PEM files: serve HTTPS), totp= (base32 secret: logins need\n"
         "      its current code, as with two-factor authentication on),\n"
         "      inbounds=default|showcase (default: vless and trojan, tcp without TLS;\n"
         "      showcase: vless REALITY, vless TLS ws, trojan TLS grpc, vmess ws,\n"
         "      shadowsocks 2022 and vless TLS xhttp, as 3x-ui stores them),\n"
         "      sub_port=N (the panel's own subscription listener, plain HTTP, 0 = a free\n"
         "      port: GET|HEAD /sub/SUBID), sub_host=H (the address links advertise; default:\n"
         "      the request's host without port, a loopback one as localhost),\n"
         "      sub_title=T (Profile-Title),\n"
         "      latency=MS (every panel request takes MS more; concurrent requests wait side by\n"
         "      side), no_lock=1 (addClient reads, waits half the latency and writes back\n"
         "      without a lock, as v2.x/v3.0 panels do: concurrent adds to one inbound lose\n"
         "      clients)\n"
         "  profile: classic (v2.9.4), classic-csrf (v3.0.2), gen2 (v3.1+)\n"
         "  port 0 = a free port; panels with the same port share it, told apart by base path\n"
         "--threads N: most worker threads per port, started as connections need them\n"
         "  (default 1024; each request in flight and each idle keep-alive connection holds\n"
         "  one)\n"
         "Prints one JSON line with the control port and every panel's port (and sub_port),\n"
         "then serves until SIGINT or SIGTERM. Control API on the control port:\n"
         "  GET  /_fake/panels                      panels, profiles, faults, client counts\n"
         "  POST /_fake/panels/NAME/fault           {\"mode\": "
         "none|down|hang|slow|http500|garbage|\n"
         "                                           fail_mutations|xray_stopped, \"delay_ms\": "
         "N}\n"
         "  POST /_fake/panels/NAME/expire-sessions  POST /_fake/panels/NAME/wipe\n"
         "  POST /_fake/panels/NAME/traffic         {\"email\": E, \"up\": N, \"down\": N}; then\n"
         "                                           disables clients over quota or expired\n"
         "  POST /_fake/panels/NAME/online          {\"emails\": [E, ...]}\n"
         "  GET  /_fake/panels/NAME/counters        requests per route\n"
         "  GET  /_fake/panels/NAME/clients         emails per inbound\n"
         "  POST /_fake/panels/NAME/inbounds        {\"protocol\": P, \"port\": N, \"remark\": R,\n"
         "                                           \"listen\", \"enable\", \"settings\",\n"
         "                                           \"streamSettings\", \"sniffing\"} -> {\"id\": "
         "N}\n";
}

} // namespace fleet::fake
