// The content of a message an agent sends over the link, decoded as CAF's network layer
// decodes it (forwarding stages, then the message with the protocol's registered types), and
// its health report rendered as the coordinator's logs render it. The whole message is not
// rendered: CAF 0.17.6's own `to_string` of a decoded `caf::duration` whose unit is out of
// range reads a null pointer (input
// `AAAAE0A8PitAYXRvbStAZHVyYXRpb24AAAAI7ascdAABAAAAAAAA+wAABwhhZ2VudC1ldQ==`).
#include "common/protocol.hpp"
#include "tests/fuzz/fuzz_input.hpp"

#include <caf/actor_system.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/message.hpp>

namespace {

/// The system whose type registry decodes messages; never destroyed, since its destructor
/// would run after CAF's own statics at exit.
caf::actor_system& link_system() {
  static auto* sys = [] {
    auto* cfg = new caf::actor_system_config;
    fleet::add_protocol_types(*cfg);
    return new caf::actor_system(*cfg);
  }();
  return *sys;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto& sys = link_system();
  caf::binary_deserializer source{sys, reinterpret_cast<const char*>(data), size};
  std::vector<caf::strong_actor_ptr> stages;
  caf::message msg;
  if (auto err = source(stages, msg))
    return 0;
  if (msg.match_elements<fleet::health_atom, fleet::health_report>()) {
    const auto& report = msg.get_as<fleet::health_report>(1);
    (void)fleet::to_string(report.state);
    (void)fleet::to_string(report.verdict);
  }
  return 0;
}
