#include "coordinator/api/http/router.hpp"

#include <catch2/catch.hpp>

using namespace fleet;

namespace {

/// A router whose handlers record their name into `hit`.
struct named_routes {
  std::string hit;
  router routes;

  named_routes() {
    for (auto [method, pattern] :
         std::vector<std::pair<std::string, std::string>>{{"GET", "/api/v1/servers"},
                                                          {"GET", "/api/v1/servers/{id}"},
                                                          {"GET", "/api/v1/servers/{id}/health"},
                                                          {"POST", "/api/v1/servers/{id}/drain"},
                                                          {"DELETE", "/api/v1/clients/{email}"}})
      routes.add(method, pattern,
                 [this, name = method + " " + pattern](server_request&, responder) { hit = name; });
  }

  /// The route `method path` reaches ("" for none) and its captures.
  std::pair<std::string, std::vector<std::string>> route(std::string method, std::string path) {
    server_request req;
    req.method = std::move(method);
    req.path = std::move(path);
    hit.clear();
    if (const auto* h = routes.find(req)) {
      struct no_sink : answer_sink {
        void answer(server_response) override {}
        void unanswered() override {}
        void stream(server_response, chunk_source, stream_idle) override {}
        void post(std::function<void()>) override {}
        size_t loop() const override { return 0; }
      };
      (*h)(req, responder{std::make_shared<no_sink>()});
    }
    return {hit, req.params};
  }
};

} // namespace

TEST_CASE("routes match by method and whole segments", "[api][router]") {
  named_routes r;
  CHECK(r.route("GET", "/api/v1/servers").first == "GET /api/v1/servers");
  CHECK(r.route("GET", "/api/v1/servers/7").first == "GET /api/v1/servers/{id}");
  CHECK(r.route("GET", "/api/v1/servers/7/health").first == "GET /api/v1/servers/{id}/health");
  CHECK(r.route("POST", "/api/v1/servers/7/drain").first == "POST /api/v1/servers/{id}/drain");
  // Wrong method, extra or missing segments, an empty capture, a prefix: no route.
  CHECK(r.route("POST", "/api/v1/servers").first.empty());
  CHECK(r.route("GET", "/api/v1/servers/7/health/x").first.empty());
  CHECK(r.route("GET", "/api/v1/servers/").first.empty());
  CHECK(r.route("GET", "/api/v1/server").first.empty());
  CHECK(r.route("GET", "/").first.empty());
}

TEST_CASE("captures are the request's segments in order", "[api][router]") {
  named_routes r;
  CHECK(r.route("GET", "/api/v1/servers/de-1/health").second == std::vector<std::string>{"de-1"});
  CHECK(r.route("DELETE", "/api/v1/clients/user 42@x").second
        == std::vector<std::string>{"user 42@x"});
  CHECK(r.route("GET", "/api/v1/servers").second.empty());
}

TEST_CASE("a pattern ending in a slash matches only that path", "[api][router]") {
  named_routes r;
  r.routes.get("/ui/", [&r](server_request&, responder) { r.hit = "GET /ui/"; });
  r.routes.get("/ui/{file}", [&r](server_request&, responder) { r.hit = "GET /ui/{file}"; });
  CHECK(r.route("GET", "/ui/").first == "GET /ui/");
  CHECK(r.route("GET", "/ui/").second.empty());
  CHECK(r.route("GET", "/ui/app.js").first == "GET /ui/{file}");
  CHECK(r.route("GET", "/ui").first.empty());
  CHECK(r.route("GET", "/ui/app.js/").first.empty());
}
