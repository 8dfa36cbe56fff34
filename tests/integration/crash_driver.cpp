// Drives a real coordinator for the crash test (crash_test.sh).
//   crash_driver create CONFIG DATA_DIR N   creates N clients, 20 in flight at a time, and
//                                          prints "ack EMAIL SERVER" for each acknowledged one
//   crash_driver evacuate CONFIG DATA_DIR N FROM
//                                          creates N clients on server FROM, evacuates it and
//                                          prints "moved K" as clients leave it
//   crash_driver verify CONFIG DATA_DIR     starts the coordinator, waits (at most a minute
//                                          each) until it has resolved every open intent and
//                                          deleted every copy moves left,
//                                          prints "stored EMAIL SERVER"

#include "common/config/config.hpp"
#include "common/logging.hpp"
#include "coordinator/coordinator_messages.hpp"
#include "coordinator/runtime.hpp"

#include <caf/scoped_actor.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

using namespace fleet;
using namespace std::chrono_literals;

namespace {

/// Waits until every enabled server is healthy (at most 10 s).
bool wait_healthy(runtime& rt) {
  caf::scoped_actor self{rt.system()};
  for (int i = 0; i < 500; ++i) {
    bool all = true;
    self->request(rt.coordinator(), 5s, fleet_atom_v)
        .receive(
            [&](const std::vector<server_health>& list) {
              for (const auto& h : list)
                all = all
                      && (h.state == server_state::healthy || h.state == server_state::draining
                          || h.state == server_state::disabled);
            },
            [&](caf::error&) { all = false; });
    if (all)
      return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

int create(runtime& rt, int n, const std::string& server_id = {}) {
  caf::scoped_actor self{rt.system()};
  int sent = 0;
  int answered = 0;
  auto send_one = [&] {
    create_request req;
    req.user_id = std::to_string(100000 + sent++);
    req.server_id = server_id;
    self->send(rt.coordinator(), create_atom_v, req);
  };
  while (sent < n && sent < 20)
    send_one();
  while (answered < sent) {
    self->receive(
        [&](const client_record& r) {
          std::printf("ack %s %s\n", r.email.c_str(), r.server_id.c_str());
          std::fflush(stdout);
        },
        [&](caf::error& e) { std::printf("fail %s\n", message_of(e).c_str()); });
    ++answered;
    if (sent < n)
      send_one();
  }
  std::printf("done\n");
  return 0;
}

int evacuate(runtime& rt, int n, const std::string& from) {
  if (create(rt, n, from) != 0)
    return 1;
  caf::scoped_actor self{rt.system()};
  self->send(rt.coordinator(), evacuate_atom_v, from);
  for (;;) {
    auto clients = rt.db().clients();
    if (clients) {
      auto moved = std::count_if(clients->begin(), clients->end(),
                                 [&](const client_record& c) { return c.server_id != from; });
      std::printf("moved %ld\n", static_cast<long>(moved));
      std::fflush(stdout);
    }
    std::this_thread::sleep_for(10ms);
  }
}

int verify(runtime& rt) {
  // At most 60 s each (a ThreadSanitizer build is several times slower).
  for (int i = 0; i < 3000 && !rt.db().open_intents()->empty(); ++i)
    std::this_thread::sleep_for(20ms);
  for (int i = 0; i < 3000 && !rt.db().stale_copies()->empty(); ++i)
    std::this_thread::sleep_for(20ms);
  if (auto left = rt.db().stale_copies(); !left || !left->empty()) {
    std::printf("stale copies remain\n");
    return 1;
  }
  auto open = rt.db().open_intents();
  if (!open || !open->empty()) {
    std::printf("open intents remain\n");
    return 1;
  }
  auto clients = rt.db().clients();
  if (!clients) {
    std::printf("%s\n", message_of(clients.error()).c_str());
    return 1;
  }
  for (const auto& c : *clients)
    std::printf("stored %s %s\n", c.email.c_str(), c.server_id.c_str());
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: crash_driver create|evacuate|verify CONFIG DATA_DIR [N [FROM]]\n");
    return 2;
  }
  std::string mode = argv[1];
  auto loaded = load_config_file(argv[2], process_env(), {});
  if (has_errors(loaded.problems)) {
    std::fprintf(stderr, "bad config: %s\n", loaded.problems.front().to_string().c_str());
    return 2;
  }
  init_logging(std::getenv("CRASH_LOG") != nullptr ? std::getenv("CRASH_LOG") : "warn");
  runtime rt;
  if (auto err = rt.start(loaded.config, argv[3])) {
    std::fprintf(stderr, "%s\n", message_of(err).c_str());
    return 1;
  }
  if (!wait_healthy(rt)) {
    std::fprintf(stderr, "panels did not become healthy\n");
    return 1;
  }
  auto n = argc > 4 ? std::atoi(argv[4]) : 500;
  if (mode == "create")
    return create(rt, n);
  if (mode == "evacuate")
    return evacuate(rt, n, argc > 5 ? argv[5] : "a");
  return verify(rt);
}
