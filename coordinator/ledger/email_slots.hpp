#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace fleet {

/// The position of nothing in an `email_slots`.
constexpr uint32_t no_position = UINT32_MAX;

/// Values by email, each at a position that stays its own for as long as the email is there,
/// so that a caller who remembers where an email was finds it again with one array access
/// instead of a hash lookup (`at`); a position is reused once its email goes. What a sample
/// round looks up a million times keeps its clients here. Plain container, not thread-safe.
template <class T>
class email_slots {
public:
  using position = uint32_t;

  static constexpr position none = no_position;

  /// The value of `email` (made when missing) and its position.
  std::pair<T*, position> get(const std::string& email) {
    auto [i, made] = index_.try_emplace(email, none);
    if (made) {
      if (free_.empty()) {
        i->second = static_cast<position>(slots_.size());
        slots_.emplace_back();
      } else {
        i->second = free_.back();
        free_.pop_back();
      }
      auto& s = slots_[i->second];
      s.email = email;
      s.value = T{};
      s.used = true;
    }
    return {&slots_[i->second].value, i->second};
  }

  /// The position of `email`, or `none`.
  [[nodiscard]] position position_of(const std::string& email) const {
    auto i = index_.find(email);
    return i == index_.end() ? none : i->second;
  }

  /// The value of `email`, or null.
  [[nodiscard]] T* find(const std::string& email) { return at(position_of(email)); }
  [[nodiscard]] const T* find(const std::string& email) const { return at(position_of(email)); }

  /// The value at `p` when it still belongs to `email`, else null.
  [[nodiscard]] T* at(position p, const std::string& email) {
    return p < slots_.size() && slots_[p].used && slots_[p].email == email ? &slots_[p].value
                                                                           : nullptr;
  }

  /// Asks the processor to fetch the slot at `p` (a position about to be read).
  void prefetch(position p) const noexcept {
    if (p < slots_.size())
      __builtin_prefetch(&slots_[p]);
  }

  /// Removes `email`; returns whether it was there.
  bool erase(const std::string& email) {
    auto i = index_.find(email);
    if (i == index_.end())
      return false;
    auto& s = slots_[i->second];
    s.used = false;
    s.email.clear();
    s.value = T{};
    free_.push_back(i->second);
    index_.erase(i);
    return true;
  }

  [[nodiscard]] size_t size() const noexcept { return index_.size(); }

  /// Calls `f(email, value)` for every email, in no particular order.
  template <class F>
  void for_each(F&& f) const {
    for (const auto& s : slots_)
      if (s.used)
        f(s.email, s.value);
  }

  template <class F>
  void for_each(F&& f) {
    for (auto& s : slots_)
      if (s.used)
        f(s.email, s.value);
  }

private:
  struct slot {
    std::string email;
    T value{};
    bool used = false;
  };

  [[nodiscard]] T* at(position p) { return p == none ? nullptr : &slots_[p].value; }
  [[nodiscard]] const T* at(position p) const { return p == none ? nullptr : &slots_[p].value; }

  std::vector<slot> slots_;
  std::vector<position> free_;
  std::unordered_map<std::string, position> index_;
};

} // namespace fleet
