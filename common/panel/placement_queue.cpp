#include "common/panel/placement_queue.hpp"

#include "common/panel/classify.hpp"
#include "common/text.hpp"

#include <algorithm>

namespace fleet {

placement_queue::placement_queue(std::string server_id, placement_policy policy)
    : server_id_(std::move(server_id)), policy_(policy) {
  policy_.max_batch = std::max<size_t>(policy_.max_batch, 1);
}

uint64_t placement_queue::enqueue(client_order order) {
  auto ticket = next_ticket_++;
  waiting_.push_back({ticket, std::move(order)});
  return ticket;
}

std::optional<placement_attempt> placement_queue::next() {
  if (busy() || waiting_.empty())
    return std::nullopt;
  attempt_ = 0;
  while (!waiting_.empty() && batch_.size() < policy_.max_batch) {
    batch_.push_back(std::move(waiting_.front()));
    waiting_.pop_front();
  }
  return attempt_now();
}

bool placement_queue::holds(const std::string& email) const {
  auto same
      = [key = ascii_lower(email)](const ticketed& t) { return ascii_lower(t.order.email) == key; };
  return std::any_of(waiting_.begin(), waiting_.end(), same)
         || std::any_of(batch_.begin(), batch_.end(), same);
}

placement_attempt placement_queue::retry() {
  return attempt_now();
}

placement_attempt placement_queue::attempt_now() {
  placement_attempt out;
  out.attempt = ++attempt_;
  out.verify = attempt_ > 1;
  out.target = target_;
  for (const auto& t : batch_)
    out.orders.push_back(t.order);
  return out;
}

placement_step placement_queue::finish(const caf::expected<placement_outcome>& outcome) {
  placement_step step;
  if (!outcome)
    target_.reset();
  else
    target_ = placement_target{outcome->inbound_id, outcome->protocol};
  if (!outcome && is_retryable(outcome.error()) && attempt_ <= policy_.max_retries) {
    step.retry_after = policy_.retry_delay * attempt_;
    return step;
  }
  for (auto& t : batch_) {
    placement_delivery d{t.ticket, int64_t{0}};
    if (!outcome)
      d.result = outcome.error();
    else if (std::find(outcome->refused.begin(), outcome->refused.end(), t.order.email)
             != outcome->refused.end())
      d.result = make_error(ec::conflict, "add client: email " + t.order.email
                                              + " is already used on server " + server_id_);
    else
      d.result = outcome->inbound_id;
    step.deliveries.push_back(std::move(d));
  }
  batch_.clear();
  return step;
}

} // namespace fleet
