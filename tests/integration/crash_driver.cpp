// Drives a real coordinator for the crash test (crash_test.sh).
//   crash_driver create CONFIG DATA_DIR N   creates N clients, 20 in flight at a time, and
//                                          prints "ack EMAIL SERVER" for each acknowledged one
//   crash_driver verify CONFIG DATA_DIR     starts the coordinator, waits until it has resolved
//                                          every open intent, prints "stored EMAIL SERVER"

#include "common/config/config.hpp"
#include "common/logging.hpp"
#include "coordinator/coordinator_messages.hpp"
#include "coordinator/runtime.hpp"

#include <caf/scoped_actor.hpp>

#include <chrono>
#include <cstdio>
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
                      && (h.state == server_state::healthy || h.state == server_state::disabled);
            },
            [&](caf::error&) { all = false; });
    if (all)
      return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

int create(runtime& rt, int n) {
  caf::scoped_actor self{rt.system()};
  int sent = 0;
  int answered = 0;
  auto send_one = [&] {
    create_request req;
    req.user_id = std::to_string(100000 + sent++);
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

int verify(runtime& rt) {
  for (int i = 0; i < 500 && !rt.db().open_intents()->empty(); ++i)
    std::this_thread::sleep_for(20ms);
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
    std::fprintf(stderr, "usage: crash_driver create|verify CONFIG DATA_DIR [N]\n");
    return 2;
  }
  std::string mode = argv[1];
  auto loaded = load_config_file(argv[2], process_env(), {});
  if (has_errors(loaded.problems)) {
    std::fprintf(stderr, "bad config: %s\n", loaded.problems.front().to_string().c_str());
    return 2;
  }
  init_logging("warn");
  runtime rt;
  if (auto err = rt.start(loaded.config, argv[3])) {
    std::fprintf(stderr, "%s\n", message_of(err).c_str());
    return 1;
  }
  if (!wait_healthy(rt)) {
    std::fprintf(stderr, "panels did not become healthy\n");
    return 1;
  }
  return mode == "create" ? create(rt, argc > 4 ? std::atoi(argv[4]) : 500) : verify(rt);
}
