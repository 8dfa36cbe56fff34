#include "coordinator/evacuation/evacuation_board.hpp"
#include "coordinator/evacuation/wave_destinations.hpp"

#include <catch2/catch.hpp>

using namespace fleet;

namespace {

using strings = std::vector<std::string>;

strings emails_of(const std::vector<evacuation_move>& wave) {
  strings out;
  for (const auto& m : wave)
    out.push_back(m.from + ":" + m.email);
  return out;
}

} // namespace

TEST_CASE("an evacuation moves its clients in waves and finishes", "[evacuation]") {
  evacuation_board board;
  board.start("s1", {"a", "b", "c"}, false);
  CHECK(board.status_of("s1").state == evacuation_state::evacuating);
  CHECK(board.status_of("s1").pending == 3);
  auto wave = board.next_wave(2, {});
  CHECK(emails_of(wave) == strings{"s1:a", "s1:b"});
  // In flight counts as pending; a second wave takes the rest only.
  CHECK(board.status_of("s1").pending == 3);
  CHECK(emails_of(board.next_wave(5, {})) == strings{"s1:c"});
  CHECK_FALSE(board.has_pending());
  board.moved(wave[0]);
  board.failed(wave[1], "panel_timeout");
  auto status = board.status_of("s1");
  CHECK(status.moved == 1);
  CHECK(status.pending == 2);
  CHECK(status.last_error == "panel_timeout");
  CHECK(board.has_pending());
  auto retry = board.next_wave(5, {});
  CHECK(emails_of(retry) == strings{"s1:b"});
  board.moved(retry[0]);
  board.dropped(evacuation_move{"s1", "c"});
  CHECK(board.status_of("s1").state == evacuation_state::finished);
  CHECK(board.status_of("s1").pending == 0);
  CHECK(board.status_of("s1").moved == 2);
  CHECK(board.total_moved() == 2);
  CHECK(board.total_pending() == 0);
}

TEST_CASE("busy clients wait and the oldest evacuation goes first", "[evacuation]") {
  evacuation_board board;
  board.start("s2", {"x", "y"}, true);
  board.start("s1", {"a"}, false);
  auto wave = board.next_wave(10, {"x"});
  CHECK(emails_of(wave) == strings{"s2:y", "s1:a"});
  CHECK(emails_of(board.next_wave(10, {})) == strings{"s2:x"});
  CHECK(board.status_of("s2").by_operator);
}

TEST_CASE("a server that refused a client for good is remembered for it", "[evacuation]") {
  evacuation_board board;
  board.start("s1", {"a"}, false);
  auto wave = board.next_wave(1, {});
  board.failed(wave[0], "conflict", "s3");
  CHECK(board.refused("a") == strings{"s3"});
  board.moved(board.next_wave(1, {})[0]);
  CHECK(board.refused("a").empty());
}

TEST_CASE("waiting and held back show until the evacuation starts", "[evacuation]") {
  evacuation_board board;
  board.set_waiting("s1", 5'000);
  CHECK(board.status_of("s1").state == evacuation_state::waiting);
  CHECK(board.status_of("s1").due_at_ms == 5'000);
  board.set_held_back("s1", "panic mode");
  CHECK(board.status_of("s1").state == evacuation_state::held_back);
  CHECK(board.status_of("s1").held_back_because == "panic mode");
  board.clear_wait("s1");
  CHECK(board.status_of("s1").state == evacuation_state::none);
  board.start("s1", {"a"}, false);
  board.set_held_back("s1", "ignored while evacuating");
  CHECK(board.status_of("s1").state == evacuation_state::evacuating);
  CHECK(board.status_of("unknown").state == evacuation_state::none);
}

TEST_CASE("a wave writes at most per_panel clients to a panel and a few panels at once",
          "[evacuation]") {
  wave_destinations wave{2, 2};
  strings all{"a", "b", "c", "d"};
  CHECK(wave.closed(all).empty());
  wave.assign("a");
  wave.assign("a");
  CHECK(wave.closed(all) == strings{"a"});
  wave.assign("b");
  // Two panels are in use: the others are closed, and so is a, which is full.
  CHECK(wave.closed(all) == strings{"a", "c", "d"});
  wave.assign("b");
  CHECK(wave.closed(all) == all);
}
