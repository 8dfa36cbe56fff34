// Positions of the event log's durable readers (webhooks), in the meta family.

#include "coordinator/store/store.hpp"
#include "coordinator/store/store_impl.hpp"

#include <charconv>

namespace fleet {

namespace {

std::string cursor_key(const std::string& name) {
  return "cursor/" + name;
}

} // namespace

caf::error store::put_cursor(const std::string& name, uint64_t seq) {
  rocksdb::WriteBatch batch;
  batch.Put(impl_->cf[store_detail::meta], cursor_key(name), std::to_string(seq));
  return impl_->write(batch, false, "writing cursor " + name);
}

caf::expected<std::optional<uint64_t>> store::cursor(const std::string& name) const {
  std::string value;
  auto s = impl_->db->Get(rocksdb::ReadOptions{}, impl_->cf[store_detail::meta], cursor_key(name),
                          &value);
  if (s.IsNotFound())
    return std::optional<uint64_t>{};
  if (!s.ok())
    return store_detail::failed("reading cursor " + name, s);
  uint64_t seq = 0;
  auto [end, err] = std::from_chars(value.data(), value.data() + value.size(), seq);
  if (err != std::errc{} || end != value.data() + value.size())
    return make_error(ec::io_error, "store: cursor " + name + " is damaged (\"" + value + "\")");
  return std::optional<uint64_t>{seq};
}

} // namespace fleet
