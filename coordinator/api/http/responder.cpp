#include "coordinator/api/http/responder.hpp"

#include <atomic>

namespace fleet {

struct responder::once {
  std::shared_ptr<answer_sink> sink;
  std::atomic<bool> answered{false};

  /// True for the first caller only.
  bool claim() { return !answered.exchange(true); }

  ~once() {
    if (!answered)
      sink->unanswered();
  }
};

responder::responder(std::shared_ptr<answer_sink> sink) : once_(std::make_shared<once>()) {
  once_->sink = std::move(sink);
}

void responder::operator()(server_response answer) const {
  if (once_->claim())
    once_->sink->answer(std::move(answer));
}

void responder::stream(server_response head, chunk_source source, stream_idle idle) const {
  if (once_->claim())
    once_->sink->stream(std::move(head), std::move(source), std::move(idle));
}

void responder::post(std::function<void()> work) const {
  once_->sink->post(std::move(work));
}

size_t responder::loop() const {
  return once_->sink->loop();
}

} // namespace fleet
