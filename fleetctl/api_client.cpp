#include "fleetctl/api_client.hpp"

#include <httplib.h>

namespace fleet::ctl {

struct api_client::impl {
  std::string url;
  httplib::Client http;

  impl(std::string u, const std::string& token) : url(std::move(u)), http(url) {
    http.set_connection_timeout(5, 0);
    http.set_read_timeout(150, 0); // creates may retry on a panel and fail over
    if (!token.empty())
      http.set_bearer_token_auth(token.c_str());
  }

  reply to_reply(const httplib::Result& r) {
    reply out;
    if (!r) {
      out.error = failure{"cannot reach the coordinator at " + url + ": "
                          + httplib::to_string(r.error())};
      return out;
    }
    out.status = r->status;
    if (!r->body.empty()) {
      out.body = nlohmann::json::parse(r->body, nullptr, false);
      if (out.body.is_discarded()) {
        out.error = failure{"the coordinator answered HTTP " + std::to_string(r->status)
                            + " with a body that is not JSON"};
        return out;
      }
    }
    if (r->status >= 400) {
      std::string message = "HTTP " + std::to_string(r->status);
      if (out.body.is_object() && out.body.contains("error"))
        message = out.body["error"].value("code", "error") + ": "
                  + out.body["error"].value("message", "");
      out.error = failure{message};
    }
    return out;
  }
};

api_client::api_client(std::string url, std::string token)
    : impl_(std::make_unique<impl>(std::move(url), token)) {}

api_client::~api_client() = default;

reply api_client::get(const std::string& path) {
  return impl_->to_reply(impl_->http.Get(path.c_str()));
}

reply api_client::post(const std::string& path, const nlohmann::json& body) {
  return impl_->to_reply(impl_->http.Post(path.c_str(), body.dump(), "application/json"));
}

reply api_client::patch(const std::string& path, const nlohmann::json& body) {
  return impl_->to_reply(impl_->http.Patch(path.c_str(), body.dump(), "application/json"));
}

reply api_client::remove(const std::string& path) {
  return impl_->to_reply(impl_->http.Delete(path.c_str()));
}

std::optional<failure>
api_client::stream(const std::string& path,
                   const std::function<bool(const nlohmann::json&)>& on_event) {
  std::string pending;
  int status = 0;
  std::string error_body;
  impl_->http.set_read_timeout(60, 0); // the stream sends a keep-alive comment every 15 s
  auto r = impl_->http.Get(
      path.c_str(),
      [&](const httplib::Response& res) {
        status = res.status;
        return true;
      },
      [&](const char* data, size_t n) {
        if (status >= 400) {
          error_body.append(data, n);
          return true;
        }
        pending.append(data, n);
        for (auto end = pending.find("\n\n"); end != std::string::npos;
             end = pending.find("\n\n")) {
          auto block = pending.substr(0, end);
          pending.erase(0, end + 2);
          auto at = block.find("data: ");
          if (at == std::string::npos)
            continue; // a comment
          auto line_end = block.find('\n', at);
          auto event
              = nlohmann::json::parse(block.substr(at + 6, line_end - at - 6), nullptr, false);
          if (!event.is_discarded() && !on_event(event))
            return false;
        }
        return true;
      });
  if (status >= 400) {
    auto body = nlohmann::json::parse(error_body, nullptr, false);
    if (body.is_object() && body.contains("error"))
      return failure{body["error"].value("code", "error") + ": "
                     + body["error"].value("message", "")};
    return failure{"HTTP " + std::to_string(status)};
  }
  if (!r && r.error() != httplib::Error::Canceled)
    return failure{"the event stream from " + impl_->url
                   + " broke: " + httplib::to_string(r.error())};
  return std::nullopt;
}

std::string encode(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~' || c == '@') {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

} // namespace fleet::ctl
