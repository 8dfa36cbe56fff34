#include "coordinator/flows/idempotent_creates.hpp"

namespace fleet {

idempotent_creates::admission idempotent_creates::join(const std::string& key,
                                                       const std::string& digest, answer& waiter) {
  auto i = running_.find(key);
  if (i == running_.end())
    return admission::first;
  if (i->second.digest != digest)
    return admission::conflict;
  i->second.waiting.push_back(std::move(waiter));
  return admission::joined;
}

void idempotent_creates::start(const std::string& key, const std::string& digest, answer first) {
  auto& r = running_[key];
  r.digest = digest;
  r.waiting.push_back(std::move(first));
}

std::vector<idempotent_creates::answer> idempotent_creates::finish(const std::string& key) {
  auto node = running_.extract(key);
  if (node.empty())
    return {};
  return std::move(node.mapped().waiting);
}

caf::error idempotent_creates::conflict_error(const std::string& key) {
  return make_error(ec::conflict, "Idempotency-Key " + key
                                      + " was used with another request body; use a new key "
                                        "for a new request");
}

} // namespace fleet
